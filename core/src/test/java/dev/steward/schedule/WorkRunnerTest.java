package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runner: workers, heartbeat, asynchronous answers, retries, dead items and shutdown. */
class WorkRunnerTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final WorkType<String> JOB = WorkType.json("test.job");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private static WorkItem job(String id, Instant due) {
    return WorkItem.builder(ACME, JOB.kind(), id)
        .dueAt(due)
        .payload("{\"id\":\"" + id + "\"}")
        .build();
  }

  @Test
  void manualDriverRunsStepsAtTheirTimesAndFollowsReschedules() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    List<String> ran = new ArrayList<>();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .handler(
                JOB,
                WorkHandler.sync(
                    w -> {
                      ran.add(w.item().key().id() + "@" + w.startedAt());
                      return !w.payload().contains("day-3")
                          ? Next.rescheduleAt(
                              w.startedAt().plus(Duration.ofDays(3)), "{\"step\":\"day-3\"}")
                          : Next.done();
                    }))
            .build();
    ManualWorkDriver driver = ManualWorkDriver.of(runner, clock);
    store.schedule(job("welcome", T0), IfExists.KEEP);

    assertThat(driver.runDue()).isEqualTo(1);
    assertThat(driver.advance(Duration.ofDays(2))).isZero();
    assertThat(store.find(WorkKey.of(ACME, JOB.kind(), "welcome")).orElseThrow().payload())
        .isEqualTo("{\"step\":\"day-3\"}");
    assertThat(driver.advance(Duration.ofDays(1))).isEqualTo(1);
    assertThat(ran).hasSize(2);
    assertThat(store.count(WorkState.READY)).isZero();
  }

  @Test
  void failuresAreRetriedWithBackOffThenKeptDeadWithTheirError() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    AtomicInteger calls = new AtomicInteger();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .handler(
                JOB,
                w -> {
                  calls.incrementAndGet();
                  throw new IllegalStateException("provider down");
                },
                KindSettings.DEFAULT.withRetry(
                    new RetryPolicy(3, Duration.ofMinutes(1), Duration.ofMinutes(10))))
            .build();
    store.schedule(job("a", T0), IfExists.KEEP);
    ManualWorkDriver driver = ManualWorkDriver.of(runner, clock);

    driver.runDue();
    WorkItem after1 = store.find(WorkKey.of(ACME, JOB.kind(), "a")).orElseThrow();
    assertThat(after1.attempts()).isEqualTo(1);
    assertThat(after1.lastError()).contains("provider down");
    assertThat(after1.dueAt()).isBetween(T0.plusSeconds(60), T0.plusSeconds(72));
    driver.advance(Duration.ofMinutes(2));
    driver.advance(Duration.ofMinutes(3));

    assertThat(calls).hasValue(3);
    WorkItem dead = store.dead(10).get(0);
    assertThat(dead.state()).isEqualTo(WorkState.DEAD);
    assertThat(dead.lastError()).startsWith("gave up after 3 attempts").contains("provider down");
    assertThat(driver.advance(Duration.ofDays(1))).isZero();
    // an operator retries it by hand
    store.retryDead(dead.key(), clock.instant());
    assertThat(driver.runDue()).isEqualTo(1);
  }

  @Test
  void anUnreadablePayloadGoesDeadAloneAndTheRestOfTheClaimRuns() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    WorkType<Integer> numbers = VersionedPayloads.numbers("test.job");
    List<Integer> seen = new ArrayList<>();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .handler(
                numbers,
                WorkHandler.sync(
                    w -> {
                      seen.add(w.payload());
                      return Next.done();
                    }))
            .build();
    VersionedPayloads.scheduleOldAndNew(store, ACME, "test.job", T0);

    assertThat(runner.runDue()).isEqualTo(4);

    assertThat(seen).containsExactlyInAnyOrder(2, 3, 4);
    assertThat(store.dead(10))
        .singleElement()
        .satisfies(
            w ->
                assertThat(w.lastError())
                    .contains("unreadable payload (version 1)")
                    .contains("cannot read version 1"));
  }

  @Test
  void aHandlerThatThrowsAnErrorFailsItsAttemptOnly() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .handler(
                JOB,
                w -> {
                  throw new AssertionError("an Error, not an exception");
                })
            .build();
    store.schedule(job("a", T0), IfExists.KEEP);
    runner.runDue();
    assertThat(store.find(WorkKey.of(ACME, JOB.kind(), "a")).orElseThrow().lastError())
        .contains("AssertionError");
  }

  /** An answer the runner cannot record (a new payload that is not JSON) is retried, not stuck. */
  @Test
  void anAnswerThatCannotBeRecordedIsRetriedNotLeftInFlight() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .handler(JOB, WorkHandler.sync(w -> Next.rescheduleAt(T0.plusSeconds(60), "not json")))
            .build();
    store.schedule(job("a", T0), IfExists.KEEP);

    assertThat(runner.runDue()).isEqualTo(1);

    assertThat(runner.inFlight()).isZero();
    WorkItem after = store.find(WorkKey.of(ACME, JOB.kind(), "a")).orElseThrow();
    assertThat(after.attempts()).isEqualTo(1);
    assertThat(after.lastError()).contains("could not record the answer").contains("JSON");
  }

  /**
   * The leases are judged by a settable clock that moves only after the heartbeat has renewed (a
   * real clock let a loaded machine's pause of the heartbeat thread lapse a 300 ms lease): five
   * leases pass, a third of a lease at a time, so only the heartbeat's renewals keep the item from
   * the thief.
   */
  @Test
  void heartbeatKeepsSlowWorkFromBeingTakenOverWhileItsOwnerLives() throws Exception {
    SettableClock clock = SettableClock.of(T0);
    WorkStore plain = InMemoryWorkStore.of(clock);
    AtomicInteger renewals = new AtomicInteger();
    WorkStore store =
        (WorkStore)
            java.lang.reflect.Proxy.newProxyInstance(
                WorkStore.class.getClassLoader(),
                new Class<?>[] {WorkStore.class},
                (proxy, method, args) -> {
                  Object r;
                  try {
                    r = method.invoke(plain, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (method.getName().equals("renew") && !((List<?>) r).isEmpty()) {
                    renewals.incrementAndGet(); // counted once the lease runs from the clock's now
                  }
                  return r;
                });
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    Duration lease = Duration.ofMillis(300);
    WorkRunner slow =
        WorkRunner.builder(store, clock)
            .owner("slow")
            .lease(lease)
            .heartbeat(Duration.ofMillis(50))
            .pollInterval(Duration.ofMillis(10))
            .handler(
                JOB,
                WorkHandler.sync(
                    w -> {
                      runs.incrementAndGet();
                      started.countDown();
                      try {
                        finish.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return Next.done();
                    }))
            .build();
    store.schedule(job("a", T0), IfExists.KEEP);
    slow.start();
    try {
      assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
      // five leases long: without the heartbeat a second runner would take it
      for (int step = 0; step < 15; step++) {
        int seen = renewals.get();
        Concurrently.waitFor(() -> renewals.get() > seen);
        clock.advance(lease.dividedBy(3));
        assertThat(
                store.claim(ClaimRequest.of(clock.instant(), 10, "thief", Duration.ofSeconds(1))))
            .as("taken after %d thirds of a lease", step + 1)
            .isEmpty();
      }
      finish.countDown();
      Concurrently.waitFor(() -> store.count(WorkState.READY) == 0);
      assertThat(runs).hasValue(1);
    } finally {
      finish.countDown();
      slow.close();
    }
  }

  @Test
  void asynchronousHandlersKeepManyItemsInFlightOnOneWorkerThread() throws Exception {
    Clock clock = Clock.systemUTC();
    WorkStore store = InMemoryWorkStore.of(clock);
    ScheduledExecutorService network = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .workers(1)
            .maxInFlight(100)
            .pollInterval(Duration.ofMillis(10))
            .handler(
                JOB,
                w -> {
                  threads.add(Thread.currentThread().getName());
                  peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                  CompletableFuture<Next> answer = new CompletableFuture<>();
                  network.schedule(
                      () -> {
                        concurrent.decrementAndGet();
                        answer.complete(Next.done());
                      },
                      200,
                      TimeUnit.MILLISECONDS);
                  return answer;
                })
            .build();
    List<WorkItem> items = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      items.add(job("j" + i, clock.instant()));
    }
    store.scheduleAll(items, IfExists.KEEP);
    runner.start();
    try {
      Concurrently.waitFor(() -> store.count(WorkState.READY) == 0);
    } finally {
      runner.close();
      network.shutdownNow();
    }
    assertThat(peak.get()).isGreaterThan(50).isLessThanOrEqualTo(100);
    assertThat(threads).hasSize(1);
  }

  @Test
  void aKindsConcurrencyLimitHolds() throws Exception {
    Clock clock = Clock.systemUTC();
    WorkStore store = InMemoryWorkStore.of(clock);
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .workers(8)
            .pollInterval(Duration.ofMillis(10))
            .handler(
                JOB,
                WorkHandler.sync(
                    w -> {
                      peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                      try {
                        Thread.sleep(20);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      concurrent.decrementAndGet();
                      return Next.done();
                    }),
                KindSettings.DEFAULT.withConcurrency(2))
            .build();
    List<WorkItem> items = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      items.add(job("j" + i, clock.instant()));
    }
    store.scheduleAll(items, IfExists.KEEP);
    runner.start();
    try {
      Concurrently.waitFor(() -> store.count(WorkState.READY) == 0);
    } finally {
      runner.close();
    }
    assertThat(peak.get()).isEqualTo(2);
  }

  @Test
  void closingHandsBackWhatWasClaimedAndNotStarted() throws Exception {
    Clock clock = Clock.systemUTC();
    WorkStore store = InMemoryWorkStore.of(clock);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .workers(1)
            .batchSize(50)
            .shutdownGrace(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(10))
            .handler(
                JOB,
                WorkHandler.sync(
                    w -> {
                      started.incrementAndGet();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return Next.done();
                    }))
            .build();
    List<WorkItem> items = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      items.add(job("j" + i, clock.instant()));
    }
    store.scheduleAll(items, IfExists.KEEP);
    runner.start();
    Concurrently.waitFor(() -> started.get() == 1 && runner.inFlight() == 20);
    Thread closer = new Thread(runner::close);
    closer.start();
    Thread.sleep(200);
    release.countDown();
    closer.join(10_000);

    // the one running finished; the 19 buffered are free for another runner at once
    assertThat(started).hasValue(1);
    assertThat(store.count(WorkState.READY)).isEqualTo(19);
    assertThat(store.claim(ClaimRequest.of(clock.instant(), 100, "next", Duration.ofSeconds(5))))
        .hasSize(19);
  }

  @Test
  void badSettingsAreRefusedWithTheirName() {
    WorkStore store = InMemoryWorkStore.of(Clock.systemUTC());
    assertThatThrownBy(() -> WorkRunner.builder(store, Clock.systemUTC()).build())
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("at least one handler");
    assertThatThrownBy(
            () ->
                WorkRunner.builder(store, Clock.systemUTC())
                    .handler(JOB, WorkHandler.sync(w -> Next.done()))
                    .handler(JOB, WorkHandler.sync(w -> Next.done())))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("test.job");
    assertThatThrownBy(
            () ->
                WorkRunner.builder(store, Clock.systemUTC())
                    .lease(Duration.ofSeconds(1))
                    .heartbeat(Duration.ofSeconds(2))
                    .handler(JOB, WorkHandler.sync(w -> Next.done()))
                    .build())
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("heartbeat");
    assertThatThrownBy(() -> WorkItem.builder(ACME, "Bad", "x").dueAt(T0).build())
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("'Bad'");
    assertThatThrownBy(
            () -> WorkItem.builder(ACME, "ok", "x").dueAt(T0).payload("{\"a\":1,\"a\":2}").build())
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("key 'a' twice");
    assertThatThrownBy(
            () -> WorkItem.builder(ACME, "ok", "x").dueAt(T0).payload("{} trailing").build())
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("text after its end");
    assertThatThrownBy(() -> WorkItem.builder(ACME, "ok", "x").dueAt(T0).payload("[1]").build())
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("JSON object");
  }
}
