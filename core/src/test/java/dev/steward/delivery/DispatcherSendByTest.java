package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.Message;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A deferred message coming due after its send-by, beside what the ledger knows of it. */
class DispatcherSendByTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private final SettableClock clock = SettableClock.of(T0);
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private final InMemoryDeliveryLedger ledger = InMemoryDeliveryLedger.of();
  private final RecordingTransport transport = RecordingTransport.of();
  private final List<DispatchResult> results = new CopyOnWriteArrayList<>();
  private final Dispatcher d =
      Dispatcher.builder(transport, clock)
          .workStore(work)
          .ledger(ledger)
          .listener(
              new DispatchListener() {
                @Override
                public void onResult(DispatchResult r) {
                  results.add(r);
                }
              })
          .build();

  private void deferUntil(Message m, Instant due, int transportFailures) {
    work.schedule(
        new DeferredWork(
                new DeferredMessage(m, due, transportFailures + 1, "cap", transportFailures),
                null,
                false)
            .item(),
        IfExists.REPLACE);
  }

  private void runAt(Instant at) {
    clock.set(at);
    ManualWorkDriver.of(d.registerWith(WorkRunner.builder(work, clock)).build(), clock).runDue();
  }

  @Test
  void aRetryLeftRetryingByTheTransportIsClosedAsFailedWhenDroppedForItsSendBy() {
    Message m = Messages.promo("ada").sendBy(T0.plus(Duration.ofHours(1))).build();
    assertThat(ledger.recordIntent(m, T0)).isTrue();
    ledger.markOutcome(m.tenant(), m.idempotencyKey(), DeliveryStatus.RETRYING, null, T0);
    deferUntil(m, T0.plus(Duration.ofMinutes(30)), 1);

    runAt(T0.plus(Duration.ofHours(2)));

    assertThat(transport.sent()).isEmpty();
    assertThat(results)
        .singleElement()
        .extracting(DispatchResult::status)
        .isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(ledger.find(m.tenant(), m.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.FAILED);
    assertThat(d.deferred(m.tenant(), m.id())).isEmpty();
  }

  @Test
  void aMessageWhoseEarlierAttemptStoppedMidSendIsNotReportedUnsentForItsSendBy() {
    Message m = Messages.promo("bea").sendBy(T0.plus(Duration.ofHours(1))).build();
    assertThat(ledger.recordIntent(m, T0)).isTrue(); // SENDING: it may have gone out
    deferUntil(m, T0.plus(Duration.ofMinutes(30)), 0);

    runAt(T0.plus(Duration.ofHours(2)));

    assertThat(transport.sent()).isEmpty();
    assertThat(results).noneMatch(r -> r.status() == DispatchStatus.SUPPRESSED);
    assertThat(results).extracting(DispatchResult::status).containsExactly(DispatchStatus.UNKNOWN);
    assertThat(ledger.find(m.tenant(), m.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.UNKNOWN);
  }
}
