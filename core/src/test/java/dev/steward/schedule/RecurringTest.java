package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Recurring upkeep: runs at its times, reschedules itself, works in slices, never gives up. */
class RecurringTest {
  private static final Instant T0 = Instant.parse("2026-03-02T03:00:00Z");
  private static final String KIND = "test.upkeep";

  /** A batch over a backlog of units, recording when it ran. */
  private static final class Backlog implements Recurring.Batch {
    final SettableClock clock;
    final List<Instant> runs = new ArrayList<>();
    int left;

    Backlog(SettableClock clock, int left) {
      this.clock = clock;
      this.left = left;
    }

    @Override
    public int run(int max) {
      runs.add(clock.instant());
      int n = Math.min(max, left);
      left -= n;
      return n;
    }
  }

  private static WorkItem item(WorkStore store, Recurring r) {
    return store.find(r.key()).orElseThrow();
  }

  @Test
  void runsAtOnceThenEveryPeriodAtTheSameTimeOfDayReschedulingItself() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    Backlog backlog = new Backlog(clock, 0);
    Recurring daily = Recurring.builder(KIND, backlog).build();
    WorkRunner runner = daily.register(WorkRunner.builder(store, clock)).build();
    ManualWorkDriver driver = ManualWorkDriver.of(runner, clock);

    assertThat(item(store, daily).key().tenant()).isEqualTo(Recurring.SYSTEM_TENANT);
    assertThat(item(store, daily).dueAt()).isEqualTo(T0);
    assertThat(driver.runDue()).isEqualTo(1);
    assertThat(item(store, daily).dueAt()).isEqualTo(T0.plus(Duration.ofDays(1)));

    // the run is late by three hours (a busy runner): the next one keeps the time of day
    assertThat(driver.advance(Duration.ofHours(23))).isZero();
    assertThat(driver.advance(Duration.ofHours(4))).isEqualTo(1);
    assertThat(item(store, daily).dueAt()).isEqualTo(T0.plus(Duration.ofDays(2)));

    assertThat(driver.advance(Duration.ofHours(21))).isEqualTo(1);
    assertThat(backlog.runs)
        .containsExactly(T0, T0.plus(Duration.ofHours(27)), T0.plus(Duration.ofDays(2)));
    assertThat(store.count(WorkState.READY)).isEqualTo(1);
    assertThat(store.count(WorkState.DEAD)).isZero();
  }

  @Test
  void twoRunnersOverOneStoreCreateTheItemOnceAndRunItOnce() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    Backlog backlog = new Backlog(clock, 0);
    WorkRunner first =
        Recurring.builder(KIND, backlog).build().register(WorkRunner.builder(store, clock)).build();
    clock.advance(Duration.ofMinutes(5)); // the second instance starts later
    WorkRunner second =
        Recurring.builder(KIND, backlog).build().register(WorkRunner.builder(store, clock)).build();

    assertThat(store.count(WorkState.READY)).isEqualTo(1);
    assertThat(store.find(WorkKey.of(Recurring.SYSTEM_TENANT, KIND, Recurring.ID)))
        .get()
        .extracting(WorkItem::dueAt)
        .isEqualTo(T0); // the first registration's item was kept
    assertThat(second.runDue() + first.runDue()).isEqualTo(1);
    assertThat(backlog.runs).hasSize(1);
  }

  @Test
  void aBacklogIsWorkedOffInSlicesThenTheRegularScheduleResumes() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    Backlog backlog = new Backlog(clock, 2_500);
    // a budget of one nanosecond: each run does exactly one batch
    Recurring r =
        Recurring.builder(KIND, backlog)
            .batchSize(1_000)
            .budget(Duration.ofNanos(1))
            .rest(Duration.ofMinutes(2))
            .build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(r.register(WorkRunner.builder(store, clock)).build(), clock);

    assertThat(driver.runDue()).isEqualTo(1);
    assertThat(backlog.left).isEqualTo(1_500);
    assertThat(item(store, r).dueAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    assertThat(driver.advance(Duration.ofMinutes(2))).isEqualTo(1);
    assertThat(backlog.left).isEqualTo(500);
    assertThat(driver.advance(Duration.ofMinutes(2))).isEqualTo(1);
    assertThat(backlog.left).isZero();
    // finished: back to the daily schedule, in phase with the first due time
    assertThat(item(store, r).dueAt()).isEqualTo(T0.plus(Duration.ofDays(1)));
  }

  @Test
  void aRunWithoutABudgetLimitWorksUntilNothingIsLeft() {
    SettableClock clock = SettableClock.of(T0);
    Backlog backlog = new Backlog(clock, 2_500);
    Recurring r = Recurring.builder(KIND, backlog).batchSize(1_000).build();

    Recurring.Run run = r.runOnce();

    assertThat(run).isEqualTo(new Recurring.Run(2_500, 3, true));
    assertThat(r.runOnce()).isEqualTo(new Recurring.Run(0, 1, true));
  }

  @Test
  void aFailingRunIsRetriedWithBackOffAndNeverGoesDead() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    AtomicInteger calls = new AtomicInteger();
    Recurring r =
        Recurring.builder(
                KIND,
                max -> {
                  if (calls.incrementAndGet() <= 30) {
                    throw new IllegalStateException("database away");
                  }
                  return 0;
                })
            .build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(r.register(WorkRunner.builder(store, clock)).build(), clock);

    driver.runDue();
    Instant firstRetry = item(store, r).dueAt();
    assertThat(firstRetry).isAfter(T0).isBefore(T0.plus(Duration.ofMinutes(5)));
    for (int i = 0; i < 40 && calls.get() <= 30; i++) {
      driver.advanceTo(item(store, r).dueAt());
      assertThat(store.count(WorkState.DEAD)).isZero();
      if (calls.get() <= 30) {
        // back-off grows to an hour (plus jitter) at most, and never gives up
        assertThat(Duration.between(clock.instant(), item(store, r).dueAt()))
            .isLessThanOrEqualTo(Duration.ofMinutes(73));
      }
    }
    assertThat(calls.get()).isEqualTo(31);
    WorkItem after = item(store, r);
    assertThat(after.state()).isEqualTo(WorkState.READY);
    assertThat(after.attempts()).isZero();
  }

  @Test
  void theNextRunSkipsMissedPeriodsButKeepsThePhase() {
    Duration day = Duration.ofDays(1);
    assertThat(Recurring.nextAfter(T0, T0, day)).isEqualTo(T0.plus(day));
    assertThat(Recurring.nextAfter(T0, T0.plus(Duration.ofHours(1)), day)).isEqualTo(T0.plus(day));
    assertThat(Recurring.nextAfter(T0, T0.plus(day), day)).isEqualTo(T0.plus(Duration.ofDays(2)));
    assertThat(Recurring.nextAfter(T0, T0.plus(Duration.ofDays(5)).plusSeconds(1), day))
        .isEqualTo(T0.plus(Duration.ofDays(6)));
  }

  @Test
  void settingsAreCheckedWhenBuilt() {
    Recurring.Batch none = max -> 0;
    assertThatThrownBy(() -> Recurring.builder("", none)).isInstanceOf(InvalidWorkException.class);
    assertThatThrownBy(() -> Recurring.builder(KIND, none).every(Duration.ofSeconds(30)))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("every");
    assertThatThrownBy(() -> Recurring.builder(KIND, none).batchSize(0))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("batchSize");
    assertThatThrownBy(
            () ->
                Recurring.builder(KIND, none)
                    .every(Duration.ofMinutes(1))
                    .budget(Duration.ofMinutes(1))
                    .build())
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("budget");
    assertThatThrownBy(() -> Recurring.builder(KIND, max -> max + 1).build().runOnce())
        .isInstanceOf(IllegalStateException.class);
  }
}
