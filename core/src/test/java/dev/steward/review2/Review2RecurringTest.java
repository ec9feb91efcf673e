package dev.steward.review2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Second review: recurring upkeep keeps its time of day ("so the runs keep their time of day"). */
class Review2RecurringTest {
  private static final Instant T0 = Instant.parse("2026-03-02T03:00:00Z");

  @Test
  void aRunRetriedAfterAFailureKeepsTheTimeOfDayOfLaterRuns() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    AtomicInteger calls = new AtomicInteger();
    Recurring daily =
        Recurring.builder(
                "test.review2-upkeep",
                max -> {
                  if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("database briefly down");
                  }
                  return 0;
                })
            .build();
    WorkRunner runner = daily.register(WorkRunner.builder(store, clock)).build();
    ManualWorkDriver driver = ManualWorkDriver.of(runner, clock);

    driver.runDue(); // fails: retried with back-off
    driver.advance(Duration.ofMinutes(5)); // the retry succeeds
    assertThat(calls).hasValue(2);

    assertThat(store.find(daily.key()).orElseThrow().dueAt())
        .as("the next regular run, a day after the regular 03:00 run that failed")
        .isEqualTo(T0.plus(Duration.ofDays(1)));
  }
}
