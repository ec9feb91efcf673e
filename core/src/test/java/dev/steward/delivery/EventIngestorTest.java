package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EventIngestorTest {
  static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
  final SettableClock clock = new SettableClock(T0);
  final InMemoryEventDeduplicationStore store = new InMemoryEventDeduplicationStore();
  final List<EmailEvent> received = new ArrayList<>();

  static EmailEvent event(String id, EmailEventType type) {
    return EmailEvent.of(id, type, T0, ContactId.of("c1"), "offers");
  }

  @Test
  void repeatsWithinABatchAndAcrossBatchesReachListenersOnce() {
    EventIngestor ingestor = EventIngestor.builder(store, clock).listener(received::addAll).build();

    IngestResult first =
        ingestor.ingest(
            List.of(
                event("e1", EmailEventType.DELIVERED),
                event("e2", EmailEventType.OPEN),
                event("e1", EmailEventType.DELIVERED)));
    IngestResult second =
        ingestor.ingest(
            List.of(event("e2", EmailEventType.OPEN), event("e3", EmailEventType.CLICK)));

    assertThat(first).isEqualTo(new IngestResult(3, 1, 2));
    assertThat(second).isEqualTo(new IngestResult(2, 1, 1));
    assertThat(received).extracting(EmailEvent::eventId).containsExactly("e1", "e2", "e3");
  }

  @Test
  void listenersRunInOrderAndSeeTheSameBatch() {
    List<String> order = new ArrayList<>();
    EventIngestor ingestor =
        EventIngestor.builder(store, clock)
            .listener(b -> order.add("ledger:" + b.size()))
            .listener(b -> order.add("consent:" + b.size()))
            .build();

    ingestor.ingest(List.of(event("e1", EmailEventType.UNSUBSCRIBE)));

    assertThat(order).containsExactly("ledger:1", "consent:1");
  }

  @Test
  void aFailingListenerForgetsTheBatchSoTheRetryIsProcessed() {
    AtomicBoolean fail = new AtomicBoolean(true);
    EventIngestor ingestor =
        EventIngestor.builder(store, clock)
            .listener(received::addAll)
            .listener(
                b -> {
                  if (fail.get()) {
                    throw new IllegalStateException("database down");
                  }
                })
            .build();
    List<EmailEvent> batch = List.of(event("e1", EmailEventType.BOUNCE));

    assertThatThrownBy(() -> ingestor.ingest(batch))
        .isInstanceOf(EventProcessingException.class)
        .hasRootCauseMessage("database down");
    fail.set(false);
    IngestResult retry = ingestor.ingest(batch);

    assertThat(retry.processed()).isEqualTo(1);
  }

  @Test
  void aBatchWithANullEventIsRefusedWholeBeforeAnythingIsRemembered() {
    EventIngestor ingestor = EventIngestor.builder(store, clock).listener(received::addAll).build();
    List<EmailEvent> batch = Arrays.asList(event("e1", EmailEventType.OPEN), null);

    assertThatThrownBy(() -> ingestor.ingest(batch))
        .isInstanceOf(InvalidEventBatchException.class)
        .hasMessageContaining("index 1");
    assertThat(received).isEmpty();
    assertThat(ingestor.ingest(List.of(event("e1", EmailEventType.OPEN))).processed()).isEqualTo(1);
  }

  @Test
  void idsAreForgottenOnlyAfterTheRetention() {
    EventIngestor ingestor =
        EventIngestor.builder(store, clock)
            .retention(Duration.ofDays(2))
            .listener(received::addAll)
            .build();
    ingestor.ingest(List.of(event("e1", EmailEventType.OPEN)));

    clock.advance(Duration.ofDays(2).minusSeconds(1));
    assertThat(ingestor.purgeExpired()).isZero();
    assertThat(ingestor.ingest(List.of(event("e1", EmailEventType.OPEN))).duplicates())
        .isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    assertThat(ingestor.purgeExpired()).isEqualTo(1);
    assertThat(ingestor.ingest(List.of(event("e1", EmailEventType.OPEN))).processed()).isEqualTo(1);
  }

  @Test
  void retentionShorterThanTheProvidersRetryWindowIsRefused() {
    assertThatThrownBy(() -> EventIngestor.builder(store, clock).retention(Duration.ofHours(23)))
        .hasMessageContaining("24 h");
  }
}
