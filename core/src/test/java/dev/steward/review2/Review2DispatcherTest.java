package dev.steward.review2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.model.Message;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Second review: the Dispatcher's sweep of stuck sends. */
class Review2DispatcherTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  final SettableClock clock = SettableClock.of(T0);
  final RecordingTransport transport = RecordingTransport.of();

  /**
   * UNKNOWN records stay open for good ("lists them for operators until then") and the sweep never
   * changes them, yet they are what ledger.unsettled returns first. Once a batch's worth of old
   * UNKNOWN records exists, no SENDING record is ever marked again.
   */
  @Test
  void oldUnknownRecordsDoNotHideAStuckSendFromTheSweep() {
    Dispatcher d =
        Dispatcher.builder(transport, clock).workStore(InMemoryWorkStore.of(clock)).build();
    DeliveryLedger ledger = d.ledger();
    for (int i = 0; i < 3; i++) {
      Message unknown = Messages.promo("u" + i).build();
      assertThat(ledger.recordIntent(unknown, clock.instant())).isTrue();
      assertThat(
              ledger.markOutcome(
                  unknown.tenant(),
                  unknown.idempotencyKey(),
                  DeliveryStatus.UNKNOWN,
                  null,
                  clock.instant()))
          .isTrue();
    }
    clock.advance(Duration.ofMinutes(1));
    Message stuck = Messages.promo("stuck").build();
    assertThat(ledger.recordIntent(stuck, clock.instant())).isTrue();
    clock.advance(Duration.ofHours(2));

    // the sweep with a batch of 3, as the recurring sweep runs it with 500; run it many times
    for (int run = 0; run < 10; run++) {
      d.sweepStuckSends(Dispatcher.STUCK_AFTER, 3);
    }

    assertThat(ledger.find(stuck.tenant(), stuck.idempotencyKey()).orElseThrow().status())
        .as("a send stuck SENDING for two hours after the sweep ran ten times")
        .isEqualTo(DeliveryStatus.UNKNOWN);
  }
}
