package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DispatcherTest.ScriptedGate;
import dev.steward.model.Message;
import dev.steward.testing.DueDispatches;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Regressions for ways the pipeline lost a message (issue 12, scenarios 2 and 7). */
class DispatcherLossTest {
  final DueDispatches dueRuns = new DueDispatches();
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  final SettableClock clock = SettableClock.of(T0);
  final RecordingTransport transport = RecordingTransport.of();

  /**
   * Scenario 2: the provider refused the send (RETRYABLE) and giving the gates' reservations back
   * threw once. The ledger must still say RETRYING and the message must still be queued, so the
   * next due run sends it; before, the ledger stayed SENDING and the next run dropped it as
   * UNKNOWN.
   */
  @Test
  void aReleaseThatThrowsAfterARetryableAnswerLosesNothing() {
    AtomicInteger releaseFailures = new AtomicInteger(1);
    DispatcherTest.ScriptedGate cap =
        new ScriptedGate("cap", (m, t) -> DispatcherTest.allow("cap")) {
          @Override
          public void release(Message message, Instant decidedAt) {
            if (releaseFailures.getAndDecrement() > 0) {
              throw new IllegalStateException("connection pool timed out");
            }
            super.release(message, decidedAt);
          }
        };
    AtomicInteger calls = new AtomicInteger();
    transport.respondWith(
        m ->
            calls.getAndIncrement() == 0
                ? SendResult.retryable(null, "503 from provider")
                : SendResult.accepted("sg-1"));
    Dispatcher d = Dispatcher.builder(transport, clock).listener(dueRuns).gate(cap).build();
    Message m = Messages.promo("c1").build();

    DispatchResult first = d.dispatch(m);

    assertThat(first.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(d.ledger().find(m.tenant(), m.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.RETRYING);
    assertThat(d.deferred(m.tenant(), m.id())).isPresent();

    clock.advance(Duration.ofHours(1));
    List<DispatchResult> due = dueRuns.run(d, clock);

    assertThat(due).extracting(DispatchResult::status).containsExactly(DispatchStatus.SENT);
    assertThat(calls).hasValue(2);
    assertThat(transport.sent()).containsExactly(m);
  }

  /**
   * Scenario 7: a gate that defers to an instant not after now (a stale reset time) made the due
   * runner claim the message again at once, forever. A deferral is never due before a minimum pause
   * has passed.
   */
  @Test
  void aDeferralToThePastWaitsAtLeastTheMinimumPause() {
    ScriptedGate stale =
        new ScriptedGate(
            "stale",
            (m, t) ->
                Decision.defer(
                    t.minusSeconds(5),
                    List.of(
                        Reason.of("stale", "reset", Outcome.DEFER, "window reset in the past"))));
    Dispatcher d = Dispatcher.builder(transport, clock).listener(dueRuns).gate(stale).build();
    Message m = Messages.promo("c1").build();

    d.dispatch(m);

    Instant due = d.deferred(m.tenant(), m.id()).orElseThrow().dueAt();
    assertThat(due).isEqualTo(T0.plus(Dispatcher.MIN_DEFERRAL));
    assertThat(dueRuns.run(d, clock)).isEmpty();
    clock.advance(Dispatcher.MIN_DEFERRAL);
    assertThat(dueRuns.run(d, clock)).hasSize(1);
    assertThat(d.deferred(m.tenant(), m.id()).orElseThrow().dueAt())
        .isEqualTo(clock.instant().plus(Dispatcher.MIN_DEFERRAL));
  }
}
