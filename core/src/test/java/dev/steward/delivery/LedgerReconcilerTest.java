package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.EmailEvent;
import dev.steward.model.Message;
import dev.steward.testing.DueDispatches;
import dev.steward.testing.EventPipeline;
import dev.steward.testing.Events;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerReconcilerTest {
  final DueDispatches dueRuns = new DueDispatches();
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  final SettableClock clock = SettableClock.of(T0);
  final RecordingTransport transport = RecordingTransport.of();
  final Dispatcher dispatcher = Dispatcher.builder(transport, clock).listener(dueRuns).build();
  final EventPipeline ingestor =
      EventPipeline.inMemory(clock, b -> b.listener(LedgerReconciler.of(dispatcher, clock)));

  static EmailEvent processed(String eventId, Message m) {
    return Events.processed(eventId, m, T0);
  }

  @Test
  void anUnknownSendIsSettledAsSentByTheProvidersEvent() {
    transport.respondWith(m -> SendResult.unknown("read timed out"));
    Message m = Messages.promo("c1").build();
    assertThat(dispatcher.dispatch(m).status()).isEqualTo(DispatchStatus.UNKNOWN);

    clock.advance(Duration.ofSeconds(30));
    ingestor.ingest(List.of(processed("e1", m)));

    DeliveryRecord r = dispatcher.ledger().find(m.tenant(), m.idempotencyKey()).orElseThrow();
    assertThat(r.status()).isEqualTo(DeliveryStatus.SENT);
    assertThat(r.providerMessageId()).contains("sg-123");
    assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void aRetryingMessageThatTheProviderHadTakenIsNotSentAgain() {
    transport.respondWith(m -> SendResult.retryable(null, "502 after accepting"));
    Message m = Messages.promo("c1").build();
    assertThat(dispatcher.dispatch(m).status()).isEqualTo(DispatchStatus.DEFERRED);

    ingestor.ingest(List.of(processed("e1", m)));
    transport.acceptAll();
    clock.advance(Duration.ofHours(1));

    assertThat(dueRuns.run(dispatcher, clock)).isEmpty();
    assertThat(transport.sent()).isEmpty();
    assertThat(dispatcher.ledger().find(m.tenant(), m.idempotencyKey()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.SENT);
  }

  @Test
  void eventsForSettledOrUnknownMessagesChangeNothing() {
    Message sent = Messages.promo("c1").build();
    dispatcher.dispatch(sent);
    DeliveryRecord before =
        dispatcher.ledger().find(sent.tenant(), sent.idempotencyKey()).orElseThrow();
    Message stranger = Messages.promo("c2").build();

    clock.advance(Duration.ofMinutes(1));
    ingestor.ingest(List.of(processed("e1", sent), processed("e2", stranger)));

    assertThat(dispatcher.ledger().find(sent.tenant(), sent.idempotencyKey())).contains(before);
    assertThat(dispatcher.ledger().find(stranger.tenant(), stranger.idempotencyKey())).isEmpty();
  }
}
