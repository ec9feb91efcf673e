package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.EmailEvent;
import dev.steward.model.Message;
import dev.steward.testing.Events;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A processed event applied twice settles the ledger as applying it once does. */
class LedgerReconcilerIdempotenceTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  static EmailEvent processed(String eventId, Message m) {
    return Events.processed(eventId, m, T0);
  }

  /** Sends two messages whose outcome is unknown; applies the runs; the ledger's records. */
  static List<DeliveryRecord> apply(int times) {
    SettableClock clock = SettableClock.of(T0);
    RecordingTransport transport = RecordingTransport.of();
    transport.respondWith(m -> SendResult.unknown("read timed out"));
    Dispatcher dispatcher = Dispatcher.builder(transport, clock).build();
    Message a = Messages.promo("c1").build();
    Message b = Messages.promo("c2").build();
    dispatcher.dispatch(a);
    dispatcher.dispatch(b);
    LedgerReconciler reconciler = LedgerReconciler.of(dispatcher, clock);
    List<EmailEvent> batch = List.of(processed("e1", a), processed("e2", b));
    for (int i = 0; i < times; i++) {
      clock.advance(Duration.ofSeconds(30));
      reconciler.onEvents(batch);
    }
    return List.of(
        dispatcher.ledger().find(a.tenant(), a.idempotencyKey()).orElseThrow(),
        dispatcher.ledger().find(b.tenant(), b.idempotencyKey()).orElseThrow());
  }

  @Test
  void applyingABatchTwiceEqualsApplyingItOnce() {
    List<DeliveryRecord> once = apply(1);

    assertThat(once).allMatch(r -> r.status() == DeliveryStatus.SENT);
    assertThat(apply(2))
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("messageId", "idempotencyKey")
        .isEqualTo(once);
  }
}
