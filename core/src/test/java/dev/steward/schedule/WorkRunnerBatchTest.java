package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import dev.steward.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runner with a batch handler: one call per claim, and each item treated as if alone. */
class WorkRunnerBatchTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final WorkType<String> JOB = WorkType.json("test.batch");
  private static final WorkType<String> ONE = WorkType.json("test.one");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final KindSettings THREE_TRIES =
      KindSettings.DEFAULT.withRetry(
          new RetryPolicy(3, Duration.ofMinutes(1), Duration.ofMinutes(10)));

  private static WorkItem job(WorkType<?> type, String id, Instant due) {
    return WorkItem.builder(ACME, type.kind(), id)
        .dueAt(due)
        .payload("{\"id\":\"" + id + "\"}")
        .build();
  }

  private static List<WorkItem> jobs(int n, Instant due) {
    List<WorkItem> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(job(JOB, "j" + i, due));
    }
    return items;
  }

  private static WorkItem stored(WorkStore store, String id) {
    return store.find(WorkKey.of(ACME, JOB.kind(), id)).orElseThrow();
  }

  @Test
  void oneCallGetsTheClaimedItemsOfItsKindAndEachAnswerIsAppliedToItsItem() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    List<Integer> callSizes = new ArrayList<>();
    List<String> single = new ArrayList<>();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .batchSize(50)
            .batchHandler(
                JOB,
                BatchWorkHandler.sync(
                    work -> {
                      callSizes.add(work.size());
                      List<Next> out = new ArrayList<>();
                      for (WorkContext<String> w : work) {
                        int n = Integer.parseInt(w.item().key().id().substring(1));
                        // odd ones come back tomorrow with a new payload, even ones are done
                        out.add(
                            n % 2 == 0
                                ? Next.done()
                                : w.rescheduleAt(T0.plus(Duration.ofDays(1)), "{\"again\":1}"));
                      }
                      return out;
                    }),
                KindSettings.DEFAULT)
            .handler(
                ONE,
                WorkHandler.sync(
                    w -> {
                      single.add(w.item().key().id());
                      return Next.done();
                    }))
            .build();
    store.scheduleAll(jobs(120, T0), IfExists.KEEP);
    store.schedule(job(ONE, "solo-1", T0), IfExists.KEEP);
    store.schedule(job(ONE, "solo-2", T0), IfExists.KEEP);

    assertThat(runner.runDue()).isEqualTo(122);

    assertThat(callSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(120);
    assertThat(callSizes).allSatisfy(n -> assertThat(n).isBetween(1, 50));
    assertThat(callSizes.size()).isLessThanOrEqualTo(4);
    assertThat(single).containsExactlyInAnyOrder("solo-1", "solo-2");
    assertThat(store.find(WorkKey.of(ACME, JOB.kind(), "j0"))).isEmpty();
    WorkItem odd = stored(store, "j7");
    assertThat(odd.state()).isEqualTo(WorkState.READY);
    assertThat(odd.dueAt()).isEqualTo(T0.plus(Duration.ofDays(1)));
    assertThat(odd.payload()).isEqualTo("{\"again\":1}");
    assertThat(store.count(WorkState.READY)).isEqualTo(60);
    assertThat(runner.inFlight()).isZero();
  }

  @Test
  void aThrowFailsEveryItemOfTheCallByTheRetryPolicyUntilDead() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    AtomicInteger calls = new AtomicInteger();
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .batchHandler(
                JOB,
                work -> {
                  calls.incrementAndGet();
                  throw new IllegalStateException("provider down");
                },
                THREE_TRIES)
            .listener(
                new WorkListener() {
                  @Override
                  public void onFailed(WorkItem item, Throwable error, boolean dead) {
                    failed.add(item.key().id() + (dead ? " dead" : ""));
                  }
                })
            .build();
    store.scheduleAll(jobs(3, T0), IfExists.KEEP);

    runner.runDue();
    assertThat(calls).hasValue(1);
    for (String id : List.of("j0", "j1", "j2")) {
      WorkItem after1 = stored(store, id);
      assertThat(after1.attempts()).isEqualTo(1);
      assertThat(after1.lastError()).contains("provider down");
      assertThat(after1.dueAt()).isBetween(T0.plusSeconds(60), T0.plusSeconds(72));
    }
    assertThat(failed).containsExactlyInAnyOrder("j0", "j1", "j2");
    clock.advance(Duration.ofMinutes(2));
    runner.runDue();
    clock.advance(Duration.ofMinutes(3));
    runner.runDue();

    assertThat(store.dead(10))
        .hasSize(3)
        .allSatisfy(
            w ->
                assertThat(w.lastError())
                    .startsWith("gave up after 3 attempts")
                    .contains("provider down"));
    assertThat(failed).contains("j0 dead", "j1 dead", "j2 dead");
  }

  @Test
  void aStageThatFailsFailsEveryItemAndANullInTheAnswerFailsItsItemAlone() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    AtomicInteger round = new AtomicInteger();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .batchHandler(
                JOB,
                work -> {
                  if (round.incrementAndGet() == 1) {
                    return java.util.concurrent.CompletableFuture.failedFuture(
                        new IllegalStateException("late failure"));
                  }
                  List<Next> out = new ArrayList<>();
                  for (WorkContext<String> w : work) {
                    out.add(w.item().key().id().equals("j1") ? null : Next.done());
                  }
                  return java.util.concurrent.CompletableFuture.completedFuture(out);
                },
                THREE_TRIES)
            .build();
    store.scheduleAll(jobs(3, T0), IfExists.KEEP);

    runner.runDue();
    assertThat(List.of("j0", "j1", "j2"))
        .allSatisfy(id -> assertThat(stored(store, id).lastError()).contains("late failure"));
    clock.advance(Duration.ofMinutes(2));
    runner.runDue();

    assertThat(store.find(WorkKey.of(ACME, JOB.kind(), "j0"))).isEmpty();
    assertThat(store.find(WorkKey.of(ACME, JOB.kind(), "j2"))).isEmpty();
    WorkItem j1 = stored(store, "j1");
    assertThat(j1.attempts()).isEqualTo(2);
    assertThat(j1.lastError()).contains("handler answered null");
  }

  @Test
  void anAnswerOfTheWrongSizeFailsEveryItemNamingTheCounts() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .batchHandler(JOB, BatchWorkHandler.sync(work -> List.of(Next.done())), THREE_TRIES)
            .build();
    store.scheduleAll(jobs(3, T0), IfExists.KEEP);

    assertThat(runner.runDue()).isEqualTo(3);

    assertThat(List.of("j0", "j1", "j2"))
        .allSatisfy(
            id -> {
              WorkItem w = stored(store, id);
              assertThat(w.state()).isEqualTo(WorkState.READY);
              assertThat(w.attempts()).isEqualTo(1);
              assertThat(w.lastError())
                  .contains("batch handler of test.batch answered 1 answers for 3 items");
            });
  }

  @Test
  void anUnreadablePayloadGoesDeadAloneAndTheOthersAreCalled() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    WorkType<Integer> numbers = VersionedPayloads.numbers("test.batch");
    List<Integer> seen = new ArrayList<>();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .batchHandler(
                numbers,
                BatchWorkHandler.sync(
                    work -> {
                      List<Next> out = new ArrayList<>();
                      work.forEach(
                          w -> {
                            seen.add(w.payload());
                            out.add(Next.done());
                          });
                      return out;
                    }),
                KindSettings.DEFAULT)
            .build();
    VersionedPayloads.scheduleOldAndNew(store, ACME, "test.batch", T0);

    assertThat(runner.runDue()).isEqualTo(4);

    assertThat(seen).containsExactlyInAnyOrder(2, 3, 4);
    assertThat(store.dead(10))
        .singleElement()
        .satisfies(w -> assertThat(w.lastError()).contains("unreadable payload (version 1)"));
    assertThat(store.count(WorkState.READY)).isZero();
  }

  @Test
  void claimsHeldAnswersThoseStillClaimedInOneGo() {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    List<String> held = new ArrayList<>();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .batchHandler(
                JOB,
                BatchWorkHandler.sync(
                    work -> {
                      // cancelled while the batch runs (an erasure): its claim no longer stands
                      store.cancel(WorkKey.of(ACME, JOB.kind(), "j1"));
                      WorkContext.claimsHeld(work).forEach(w -> held.add(w.item().key().id()));
                      return Collections.nCopies(work.size(), Next.done());
                    }),
                KindSettings.DEFAULT)
            .build();
    store.scheduleAll(jobs(3, T0), IfExists.KEEP);

    runner.runDue();

    assertThat(held).containsExactlyInAnyOrder("j0", "j2");
  }

  @Test
  void aKindsConcurrencyBoundsTheItemsOfItsCallsRunningAtOnce() throws Exception {
    Clock clock = Clock.systemUTC();
    WorkStore store = InMemoryWorkStore.of(clock);
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    WorkRunner runner =
        WorkRunner.builder(store, clock)
            .workers(4)
            .batchSize(100)
            .pollInterval(Duration.ofMillis(10))
            .batchHandler(
                JOB,
                BatchWorkHandler.sync(
                    work -> {
                      peak.accumulateAndGet(concurrent.addAndGet(work.size()), Math::max);
                      try {
                        Thread.sleep(20);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      concurrent.addAndGet(-work.size());
                      done.addAndGet(work.size());
                      return Collections.nCopies(work.size(), Next.done());
                    }),
                KindSettings.DEFAULT.withConcurrency(5))
            .build();
    store.scheduleAll(jobs(60, clock.instant()), IfExists.KEEP);
    runner.start();
    try {
      Concurrently.waitFor(() -> store.count(WorkState.READY) == 0 && runner.inFlight() == 0);
    } finally {
      runner.close();
    }
    assertThat(done).hasValue(60);
    assertThat(peak.get()).isBetween(1, 5);
  }

  @Test
  void heartbeatKeepsASlowBatchClaimedAndCloseHandsBackWhatDidNotStart() throws Exception {
    Clock clock = Clock.systemUTC();
    WorkStore store = InMemoryWorkStore.of(clock);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    WorkRunner slow =
        WorkRunner.builder(store, clock)
            .owner("slow")
            .workers(1)
            .maxInFlight(4)
            .batchSize(10)
            .lease(Duration.ofMillis(300))
            .heartbeat(Duration.ofMillis(50))
            .pollInterval(Duration.ofMillis(10))
            .shutdownGrace(Duration.ofSeconds(5))
            .batchHandler(
                JOB,
                BatchWorkHandler.sync(
                    work -> {
                      calls.incrementAndGet();
                      ran.addAndGet(work.size());
                      started.countDown();
                      try {
                        finish.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return Collections.nCopies(work.size(), Next.done());
                    }),
                KindSettings.DEFAULT)
            .build();
    store.scheduleAll(jobs(10, clock.instant()), IfExists.KEEP);
    slow.start();
    try {
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      // the first claim's batch runs; later items scheduled now wait in the buffer
      store.scheduleAll(
          List.of(job(JOB, "late-1", clock.instant()), job(JOB, "late-2", clock.instant())),
          IfExists.KEEP);
      Concurrently.waitFor(() -> slow.inFlight() == ran.get() + 2);
      // five leases long: without the heartbeat a second runner would take the batch
      Thread.sleep(1_500);
      assertThat(store.claim(ClaimRequest.of(clock.instant(), 10, "thief", Duration.ofSeconds(1))))
          .isEmpty();
      Thread closer = new Thread(slow::close);
      closer.start();
      Thread.sleep(200);
      finish.countDown();
      closer.join(10_000);
    } finally {
      finish.countDown();
      slow.close();
    }
    assertThat(calls).hasValue(1);
    // the batch that ran is done; the two claimed and not started were handed back at once
    assertThat(store.count(WorkState.READY)).isEqualTo(2);
    assertThat(store.claim(ClaimRequest.of(clock.instant(), 10, "next", Duration.ofSeconds(5))))
        .extracting(cw -> cw.item().key().id())
        .containsExactlyInAnyOrder("late-1", "late-2");
  }

  @Test
  void aKindTakesOneHandlerOfEitherForm() {
    SettableClock clock = SettableClock.of(T0);
    WorkRunner.Builder b =
        WorkRunner.builder(InMemoryWorkStore.of(clock), clock)
            .handler(JOB, WorkHandler.sync(w -> Next.done()));
    assertThatThrownBy(
            () ->
                b.batchHandler(JOB, BatchWorkHandler.sync(work -> List.of()), KindSettings.DEFAULT))
        .isInstanceOf(InvalidWorkException.class)
        .hasMessageContaining("kind 'test.batch' was already added");
    assertThatThrownBy(() -> b.batchHandler(ONE, null, KindSettings.DEFAULT))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("handler");
  }
}
