package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.LedgerReconciler;
import dev.steward.delivery.SendResult;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.testing.DueDispatches;
import dev.steward.testing.EventPipeline;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A message that went out always counts against the caps: a RETRYABLE answer gives the slot back,
 * and a later PROCESSED event that proves the message left takes it again. Run on every {@link
 * CapLedgerStore}.
 */
public abstract class ConfirmedSendContract {
  final DueDispatches dueRuns = new DueDispatches();
  private static final Instant MORNING = Instant.parse("2026-03-04T08:00:00Z");

  /** A store to test; called once per test. */
  protected abstract CapLedgerStore newStore();

  private final SettableClock clock = SettableClock.of(MORNING);
  private final RecordingTransport transport = RecordingTransport.of();
  private final String contact = "ada-" + UUID.randomUUID().toString().substring(0, 8);
  private CapLedgerStore store;
  private FrequencyCapLimiter limiter;
  private Dispatcher dispatcher;
  private EventPipeline ingestor;

  @BeforeEach
  void build() {
    store = newStore();
    limiter =
        FrequencyCapLimiter.builder(store, clock)
            .policy(CapPolicy.builder().cap(Cap.perContact(1, Window.day())).build())
            .build();
    dispatcher =
        Dispatcher.builder(transport, clock)
            .listener(dueRuns)
            .gate(FrequencyGate.of(limiter))
            .build();
    ingestor =
        EventPipeline.inMemory(clock, b -> b.listener(LedgerReconciler.of(dispatcher, clock)));
  }

  private Message message() {
    return Messages.promo(contact);
  }

  private static EmailEvent processed(String eventId, Message m, Instant at) {
    return EmailEvent.of(
        eventId,
        EmailEventType.PROCESSED,
        at,
        m.to(),
        m.id(),
        m.tenant(),
        m.account(),
        m.contact(),
        m.category(),
        Map.of(LedgerReconciler.PROVIDER_MESSAGE_ID, "sg-1"));
  }

  @Test
  void aRetryableSendThatTheProviderTookStillCountsAgainstTheCap() {
    transport.respondWith(m -> SendResult.retryable(null, "502 after accepting"));
    Message first = message();
    assertThat(dispatcher.dispatch(first).status()).isEqualTo(DispatchStatus.DEFERRED);

    clock.advance(Duration.ofMinutes(5));
    ingestor.ingest(List.of(processed("e1", first, clock.instant())));
    transport.acceptAll();
    clock.advance(Duration.ofHours(1));

    Message second = message();
    assertThat(dispatcher.dispatch(second).status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(transport.sent()).isEmpty();
    assertThat(dispatcher.deferred(first.tenant(), first.id())).isEmpty();
  }

  @Test
  void aRepeatedEventCountsTheSendOnce() {
    transport.respondWith(m -> SendResult.retryable(null, "502 after accepting"));
    Message first = message();
    dispatcher.dispatch(first);

    clock.advance(Duration.ofMinutes(5));
    ingestor.ingest(List.of(processed("e1", first, clock.instant())));
    clock.advance(Duration.ofMinutes(5));
    // the provider reports the same message again under another event id
    ingestor.ingest(List.of(processed("e2", first, clock.instant())));

    List<SendLog> logs =
        store.read(List.of(SubjectKey.contact(TenantId.of("t1"), first.contact())));
    assertThat(logs.get(0).size()).isEqualTo(1);
  }

  @Test
  void recordSentIsNeverRefusedByACapAndIsIdempotentPerMessage() {
    Message a = message();
    Message b = message();
    assertThat(limiter.decide(a).isAllowed()).isTrue();

    limiter.recordSent(b, MORNING.plusSeconds(10));
    limiter.recordSent(b, MORNING.plusSeconds(10));

    List<SendLog> logs = store.read(List.of(SubjectKey.contact(TenantId.of("t1"), a.contact())));
    assertThat(logs.get(0).size()).isEqualTo(2);
    assertThat(limiter.whatIf(message()).isAllowed()).isFalse();
  }
}
