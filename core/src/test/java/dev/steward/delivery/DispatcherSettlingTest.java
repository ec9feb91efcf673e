package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.Message;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.DueDispatches;
import dev.steward.testing.Events;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Unknown outcomes wait as due work for the provider's events, and a send that outlives its lease
 * is never lost (issue 12, scenario 1, and the sweep of unsettled sends).
 */
class DispatcherSettlingTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  final SettableClock clock = SettableClock.of(T0);
  final RecordingTransport transport = RecordingTransport.of();
  final DueDispatches dueRuns = new DueDispatches();
  final WorkStore store = InMemoryWorkStore.of(clock);

  Dispatcher dispatcher() {
    return Dispatcher.builder(transport, clock).listener(dueRuns).workStore(store).build();
  }

  @Test
  void anUnknownOutcomeSettledByAProcessedEventLeavesNoWork() {
    Dispatcher d = dispatcher();
    transport.respondWith(m -> SendResult.unknown("read timed out"));
    Message m = Messages.promo("c1").build();
    assertThat(d.dispatch(m).status()).isEqualTo(DispatchStatus.UNKNOWN);

    LedgerReconciler.of(d, clock).onEvents(List.of(Events.processed("ev-1", m, T0)));
    clock.advance(Dispatcher.DEFAULT_SETTLE_CHECK);
    dueRuns.run(d, clock);

    assertThat(store.count(WorkState.READY)).isZero();
    assertThat(store.count(WorkState.DEAD)).isZero();
    assertThat(d.ledger().find(m.tenant(), m.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.SENT);
  }

  @Test
  void anOutcomeNoEventSettlesIsKeptDeadForOperatorsNeverResent() {
    Dispatcher d = dispatcher();
    transport.respondWith(m -> SendResult.unknown("read timed out"));
    Message m = Messages.promo("c1").build();
    d.dispatch(m);
    transport.acceptAll();

    for (int i = 0; i < 48 * 4 + 1; i++) {
      clock.advance(Dispatcher.DEFAULT_SETTLE_CHECK);
      assertThat(dueRuns.run(d, clock)).isEmpty();
    }

    // the one attempt that may have gone out, never a second
    assertThat(transport.sent()).containsExactly(m);
    assertThat(store.dead(10))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.key().id()).isEqualTo(m.id().value());
              assertThat(w.lastError()).contains("outcome unknown since " + T0);
            });
  }

  /**
   * Scenario 1: a send outlives its lease (the owner stalls), a second instance takes the message
   * over, finds the intent written and waits for the outcome instead of dropping the message; the
   * stalled owner's late RETRYABLE answer is recorded (the provider's word beats the guess) but its
   * reschedule is refused by the lease token; the waiting item then sends the message once.
   */
  @Test
  void aSendThatOutlivesItsLeaseIsNeitherLostNorSentTwice() {
    Instant due = T0.plusSeconds(60);
    DispatcherTest.ScriptedGate g =
        new DispatcherTest.ScriptedGate(
            "g",
            (msg, t) ->
                t.isBefore(due)
                    ? Decision.defer(due, List.of(Reason.of("g", "r", Outcome.DEFER, "later")))
                    : DispatcherTest.allow("g"));
    Dispatcher d =
        Dispatcher.builder(transport, clock).listener(dueRuns).gate(g).workStore(store).build();
    Message m = Messages.promo("c1").build();
    d.dispatch(m);

    // instance A claims the due message, writes its intent and stalls inside the transport
    clock.set(due);
    ClaimedWork stalled =
        store.claim(ClaimRequest.of(clock.instant(), 10, "A", Duration.ofMinutes(5))).get(0);
    assertThat(d.ledger().recordIntent(m, clock.instant())).isTrue();

    // its lease lapses; instance B takes over and finds the intent: the outcome is unknown
    clock.advance(Duration.ofMinutes(6));
    assertThat(dueRuns.run(d, clock))
        .extracting(DispatchResult::status)
        .containsExactly(DispatchStatus.UNKNOWN);
    assertThat(d.deferred(m.tenant(), m.id())).isPresent();

    // A wakes up: the provider had answered 503; its ledger write stands, its reschedule does not
    assertThat(
            d.ledger()
                .markOutcome(
                    m.tenant(), m.idempotencyKey(), DeliveryStatus.RETRYING, null, clock.instant()))
        .isTrue();
    assertThat(
            store.complete(
                List.of(new Completion.Reschedule(stalled.lease(), clock.instant(), "{}"))))
        .isEmpty();

    // B's waiting item sees the refusal and sends the message, once
    clock.advance(Dispatcher.DEFAULT_SETTLE_CHECK);
    assertThat(dueRuns.run(d, clock))
        .extracting(DispatchResult::status)
        .containsExactly(DispatchStatus.SENT);
    assertThat(transport.sent()).containsExactly(m);
    assertThat(store.count(WorkState.READY)).isZero();
    clock.advance(Duration.ofDays(3));
    assertThat(dueRuns.run(d, clock)).isEmpty();
  }

  /** A process that died between the intent and the outcome of a direct dispatch left no work. */
  @Test
  void aSendStuckMidSendWithNoWorkIsMarkedUnknownByTheSweepNeverResent() {
    Dispatcher d = dispatcher();
    Message stuck = Messages.promo("c1").build();
    Message recent = Messages.promo("c2").build();
    assertThat(d.ledger().recordIntent(stuck, clock.instant())).isTrue();
    clock.advance(Duration.ofMinutes(50));
    assertThat(d.ledger().recordIntent(recent, clock.instant())).isTrue();
    clock.advance(Duration.ofMinutes(15));

    List<DeliveryRecord> marked = d.sweepStuckSends(Duration.ofHours(1), 100);

    assertThat(marked).extracting(DeliveryRecord::messageId).containsExactly(stuck.id());
    assertThat(d.ledger().find(stuck.tenant(), stuck.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.UNKNOWN);
    assertThat(d.ledger().find(recent.tenant(), recent.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.SENDING);
    assertThat(d.sweepStuckSends(Duration.ofHours(1), 100)).isEmpty();
    assertThat(transport.sent()).isEmpty();
    // a caller retrying the stuck message is not sent blindly either
    assertThat(d.dispatch(stuck).status()).isEqualTo(DispatchStatus.UNKNOWN);
    assertThat(transport.sent()).isEmpty();
  }

  @Test
  void theStuckSendSweepRunsAsRecurringWork() {
    Dispatcher d = dispatcher();
    Message stuck = Messages.promo("c1").build();
    assertThat(d.ledger().recordIntent(stuck, clock.instant())).isTrue();
    dev.steward.testing.ManualWorkDriver driver =
        dev.steward.testing.ManualWorkDriver.of(
            d.registerStuckSendSweep(
                    d.registerWith(dev.steward.schedule.WorkRunner.builder(store, clock)))
                .build(),
            clock);

    driver.runDue();
    assertThat(d.ledger().find(stuck.tenant(), stuck.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.SENDING);
    driver.advance(Duration.ofMinutes(75));

    assertThat(d.ledger().find(stuck.tenant(), stuck.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.UNKNOWN);
    assertThat(transport.sent()).isEmpty();
  }
}
