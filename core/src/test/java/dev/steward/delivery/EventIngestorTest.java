package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ingestor's own rules: listener names, order, payloads read strictly, builder checks. */
class EventIngestorTest {
  static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
  final SettableClock clock = SettableClock.of(T0);
  final InMemoryEventInbox inbox = InMemoryEventInbox.of(InMemoryWorkStore.of(clock));

  static EmailEvent event(String id, EmailEventType type) {
    return EmailEvent.of(id, type, T0, ContactId.of("c1"), "offers");
  }

  @Test
  void listenersRunInOrderAndSeeTheWholeBatch() {
    List<String> order = new ArrayList<>();
    EventIngestor ingestor =
        EventIngestor.builder(inbox, clock)
            .listener(b -> order.add("ledger:" + b.size()))
            .listener(b -> order.add("consent:" + b.size()))
            .build();
    WorkRunner runner = ingestor.register(WorkRunner.builder(inbox.work(), clock)).build();

    ingestor.accept(
        List.of(event("e1", EmailEventType.UNSUBSCRIBE), event("e2", EmailEventType.OPEN)));
    runner.runDue();

    assertThat(order).containsExactly("ledger:2", "consent:2");
    assertThat(ingestor.listenerNames()).containsExactly("listener-0", "listener-1");
  }

  @Test
  void listenersAreNamedAfterTheirClassAndNamesMustDiffer() {
    EmailEventListener a = new Named();
    assertThat(EventIngestor.builder(inbox, clock).listener(a).build().listenerNames())
        .containsExactly("Named");
    assertThatThrownBy(
            () -> EventIngestor.builder(inbox, clock).listener(a).listener(new Named()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Named'");
    assertThatThrownBy(() -> EventIngestor.builder(inbox, clock).listener(" ", a))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static final class Named implements EmailEventListener {
    @Override
    public void onEvents(List<EmailEvent> events) {}
  }

  @Test
  void payloadsRoundTripAndAreReadStrictly() {
    List<EmailEvent> events =
        List.of(event("e1", EmailEventType.CLICK), event("e2", EmailEventType.BOUNCE));
    String json = EventIngestor.writeBatch(events);

    assertThat(EventIngestor.readBatch(json, 1)).isEqualTo(events);
    assertThatThrownBy(() -> EventIngestor.readBatch(json, 2))
        .isInstanceOf(InvalidEventBatchException.class)
        .hasMessageContaining("version 2");
    assertThatThrownBy(() -> EventIngestor.readBatch("{\"events\":[],\"events\":[]}", 1))
        .isInstanceOf(InvalidEventBatchException.class)
        .hasMessageContaining("'events' twice");
    assertThatThrownBy(() -> EventIngestor.readBatch(json.replace("\"type\"", "\"kind\""), 1))
        .isInstanceOf(InvalidEventBatchException.class)
        .hasMessageContaining("unknown key 'kind'");
    assertThatThrownBy(() -> EventIngestor.readBatch(json.replace("\"CLICK\"", "\"CLACK\""), 1))
        .isInstanceOf(InvalidEventBatchException.class)
        .hasMessageContaining("events[0]");
    assertThatThrownBy(() -> EventIngestor.readBatch(json + " x", 1))
        .isInstanceOf(InvalidEventBatchException.class)
        .hasMessageContaining("after its end");

    EventIngestor.Parked p = new EventIngestor.Parked(events.get(0), List.of("consent"));
    assertThat(EventIngestor.readParked(EventIngestor.writeParked(p), 1)).isEqualTo(p);
  }

  @Test
  void retentionShorterThanTheProvidersRetryWindowIsRefused() {
    assertThatThrownBy(() -> EventIngestor.builder(inbox, clock).retention(Duration.ofHours(23)))
        .hasMessageContaining("24 h");
  }
}
