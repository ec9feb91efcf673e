package dev.steward.calendar;

import static dev.steward.calendar.CalendarFixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A batch applied twice, or a part then the whole, records each complaint once. */
class CalendarEventListenerIdempotenceTest {
  static final Instant AT = Instant.parse("2024-03-04T10:00:00Z");
  static final AccountId ACME = AccountId.of("acme");

  static EmailEvent ev(String id, EmailEventType type, String contact, Instant at) {
    return EmailEvent.of(
        id,
        type,
        at,
        contact == null ? EmailAddress.of("someone@example.com") : null,
        null,
        TENANT,
        ACME,
        contact == null ? null : ContactId.of(contact),
        null,
        Map.of());
  }

  static final List<EmailEvent> BATCH =
      List.of(
          ev("e1", EmailEventType.SPAM_REPORT, "ann", AT),
          ev("e2", EmailEventType.OPEN, "ann", AT),
          ev("e3", EmailEventType.SPAM_REPORT, null, AT.plusSeconds(5)),
          ev("e4", EmailEventType.SPAM_REPORT, "bob", AT.plusSeconds(9)));

  static List<CalendarEntry> state(InMemoryCalendarStore store) {
    return store.forAccount(
        TENANT, ACME, AT.minus(Duration.ofDays(1)), AT.plus(Duration.ofDays(1)));
  }

  static InMemoryCalendarStore apply(List<List<EmailEvent>> runs) {
    InMemoryCalendarStore store = InMemoryCalendarStore.of();
    CalendarEventListener listener =
        CalendarEventListener.of(
            CommunicationCalendar.builder(store, java.time.Clock.systemUTC()).build());
    runs.forEach(listener::onEvents);
    return store;
  }

  @Test
  void applyingABatchTwiceEqualsApplyingItOnce() {
    List<CalendarEntry> once = state(apply(List.of(BATCH)));

    assertThat(state(apply(List.of(BATCH, BATCH)))).isEqualTo(once);
    assertThat(state(apply(List.of(BATCH.subList(0, 2), BATCH, List.of(BATCH.get(3))))))
        .isEqualTo(once);
    assertThat(once).hasSize(3);
  }
}
