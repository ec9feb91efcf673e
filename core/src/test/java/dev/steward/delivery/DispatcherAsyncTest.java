package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.Message;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Due sends through an asynchronous transport: many in flight, few threads, each sent once. */
class DispatcherAsyncTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  /** A transport whose answers arrive 100 ms later on a timer thread, as an HTTP client's do. */
  static final class SlowAsyncTransport implements MailTransport {
    final ScheduledExecutorService network = Executors.newSingleThreadScheduledExecutor();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    final Set<String> sent = ConcurrentHashMap.newKeySet();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public SendResult send(Message message) {
      return sendAsync(message).toCompletableFuture().join();
    }

    @Override
    public CompletionStage<SendResult> sendAsync(Message message) {
      calls.incrementAndGet();
      peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<SendResult> answer = new CompletableFuture<>();
      network.schedule(
          () -> {
            inFlight.decrementAndGet();
            sent.add(message.id().value());
            answer.complete(SendResult.accepted("sg-" + message.id()));
          },
          100,
          TimeUnit.MILLISECONDS);
      return answer;
    }
  }

  @Test
  void oneWorkerThreadKeepsManySendsInFlightAndSendsEachOnce() throws Exception {
    SettableClock clock = SettableClock.of(T0);
    WorkStore store = InMemoryWorkStore.of(clock);
    SlowAsyncTransport transport = new SlowAsyncTransport();
    Instant due = T0.plusSeconds(60);
    Dispatcher dispatcher =
        Dispatcher.builder(transport, clock)
            .workStore(store)
            .gate(
                new DispatcherTest.ScriptedGate(
                    "g",
                    (m, t) ->
                        t.isBefore(due)
                            ? Decision.defer(
                                due, List.of(Reason.of("g", "r", Outcome.DEFER, "later")))
                            : DispatcherTest.allow("g")))
            .build();
    for (int i = 0; i < 200; i++) {
      assertThat(dispatcher.dispatch(Messages.promo("c" + i).build()).status())
          .isEqualTo(DispatchStatus.DEFERRED);
    }
    clock.set(due);
    WorkRunner runner =
        dispatcher
            .registerWith(
                WorkRunner.builder(store, clock)
                    .workers(1)
                    .maxInFlight(100)
                    .pollInterval(Duration.ofMillis(10)))
            .build()
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (store.count(WorkState.READY) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } finally {
      runner.close();
      transport.network.shutdownNow();
    }

    assertThat(store.count(WorkState.READY)).isZero();
    assertThat(transport.calls).hasValue(200);
    assertThat(transport.sent).hasSize(200);
    assertThat(transport.peak.get()).isGreaterThan(20).isLessThanOrEqualTo(100);
  }
}
