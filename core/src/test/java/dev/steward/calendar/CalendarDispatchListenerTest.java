package dev.steward.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The calendar's scheduled entries of messages follow the send pipeline. */
class CalendarDispatchListenerTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private final SettableClock clock = SettableClock.of(T0);
  private final CommunicationCalendar calendar =
      CommunicationCalendar.builder(InMemoryCalendarStore.of(), clock).build();
  private final RecordingTransport transport = RecordingTransport.of();

  /** Defers a message until the time set for it, suppresses those named "blocked". */
  private final Map<String, Instant> holdUntil = new ConcurrentHashMap<>();

  private final Gate gate =
      new Gate() {
        @Override
        public String name() {
          return "test";
        }

        @Override
        public Decision evaluate(Message message, Instant now) {
          if (message.id().value().startsWith("blocked")) {
            return Decision.suppress(Reason.of("test", "blocked", Outcome.SUPPRESS, "blocked"));
          }
          Instant until = holdUntil.get(message.id().value());
          if (until != null && now.isBefore(until)) {
            return Decision.defer(
                until, java.util.List.of(Reason.of("test", "hold", Outcome.DEFER, "held")));
          }
          return Decision.allow();
        }
      };

  private final Dispatcher dispatcher =
      Dispatcher.builder(transport, clock)
          .gate(gate)
          .listener(CalendarDispatchListener.of(calendar))
          .build();

  private Message message(String id) {
    return Messages.promo("ada").id(MessageId.of(id)).idempotencyKey(id).createdAt(T0).build();
  }

  @Test
  void aScheduledEntryMovesWithItsDeferralAndIsMarkedSentWhenTheMessageGoesOut() {
    Message m = message("renewal-1");
    calendar.record(m, CalendarEntry.Status.SCHEDULED, T0);
    holdUntil.put("renewal-1", T0.plus(Duration.ofDays(2)));

    assertThat(dispatcher.dispatch(m).status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(calendar.find(m.tenant(), "renewal-1").orElseThrow().at())
        .isEqualTo(T0.plus(Duration.ofDays(2)));

    ManualWorkDriver driver =
        ManualWorkDriver.of(
            dispatcher.registerWith(WorkRunner.builder(dispatcher.workStore(), clock)).build(),
            clock);
    driver.advance(Duration.ofDays(2));
    assertThat(transport.sent()).hasSize(1);
    CalendarEntry sent = calendar.find(m.tenant(), "renewal-1").orElseThrow();
    assertThat(sent.status()).isEqualTo(CalendarEntry.Status.SENT);
    assertThat(sent.at()).isEqualTo(T0.plus(Duration.ofDays(2)));
  }

  @Test
  void aSuppressedMessagesEntryIsCancelledAndMessagesWithoutAnEntryWriteNone() {
    Message blocked = message("blocked-1");
    calendar.record(blocked, CalendarEntry.Status.SCHEDULED, T0);
    dispatcher.dispatch(blocked);
    assertThat(calendar.find(blocked.tenant(), "blocked-1").orElseThrow().status())
        .isEqualTo(CalendarEntry.Status.CANCELLED);

    Message other = message("plain-1");
    dispatcher.dispatch(other);
    assertThat(transport.sent()).hasSize(1);
    assertThat(calendar.find(other.tenant(), "plain-1")).isEmpty();
  }
}
