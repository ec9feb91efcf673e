package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Deferred-message payloads keep a message's send-by, and those stored before it still run. */
class DeferredWorkFormatTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  /** A payload as a dispatcher stored it before send-by existed: its message of format 1. */
  private static final String STORED_FORMAT_ONE =
      "{\"message\":{\"format\":1,\"id\":\"m-old\",\"idempotencyKey\":\"m-old\","
          + "\"tenant\":\"isv-tenant\",\"account\":\"acme\",\"contact\":\"ada\","
          + "\"to\":\"ada@example.com\",\"recipientZone\":\"Z\",\"kind\":\"PROMOTIONAL\","
          + "\"category\":\"offers\",\"channel\":\"EMAIL\",\"priority\":\"NORMAL\","
          + "\"sourceTeam\":\"marketing\",\"personalisation\":{},"
          + "\"createdAt\":\"2026-01-01T00:00:00Z\"},"
          + "\"dueAt\":\"2026-03-02T10:00:00Z\",\"attempts\":1,\"transportFailures\":0,"
          + "\"reason\":\"frequency/cap: full\",\"slot\":true}";

  @Test
  void aPayloadStoredWithAFormatOneMessageIsReadAndSentWhenDue() {
    DeferredWork w = DeferredWork.TYPE.decode(STORED_FORMAT_ONE, DeferredWork.VERSION);
    assertThat(w.deferred().message().id()).isEqualTo(MessageId.of("m-old"));
    assertThat(w.deferred().message().sendBy()).isEmpty();
    assertThat(w.slot()).isTrue();

    SettableClock clock = SettableClock.of(T0);
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    RecordingTransport transport = RecordingTransport.of();
    Dispatcher d = Dispatcher.builder(transport, clock).workStore(work).build();
    work.schedule(
        WorkItem.builder(WorkKey.of(TenantId.of("isv-tenant"), DeferredWork.KIND, "m-old"))
            .subject("ada")
            .payload(STORED_FORMAT_ONE)
            .payloadVersion(DeferredWork.VERSION)
            .dueAt(Instant.parse("2026-03-02T10:00:00Z"))
            .build(),
        IfExists.REPLACE);
    ManualWorkDriver.of(d.registerWith(WorkRunner.builder(work, clock)).build(), clock)
        .advance(Duration.ofHours(1));

    assertThat(transport.sent()).extracting(Message::id).containsExactly(MessageId.of("m-old"));
  }

  @Test
  void aPayloadKeepsTheMessagesSendBy() {
    Message m = Messages.promo("ada").sendBy(T0.plus(Duration.ofDays(1))).build();
    DeferredWork w = new DeferredWork(new DeferredMessage(m, T0, 1, "cap"), null, true);
    String stored = w.encode();

    assertThat(stored).contains("\"format\":2").contains("\"sendBy\":\"2026-03-03T09:00:00Z\"");
    DeferredWork back = DeferredWork.TYPE.decode(stored, DeferredWork.VERSION);
    assertThat(back.deferred().message()).isEqualTo(m);
    assertThat(back.deferred().message().sendBy()).contains(T0.plus(Duration.ofDays(1)));
  }
}
