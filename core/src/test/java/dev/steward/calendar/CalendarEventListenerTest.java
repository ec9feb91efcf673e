package dev.steward.calendar;

import static dev.steward.calendar.CalendarFixtures.ANA;
import static dev.steward.calendar.CalendarFixtures.GLOBEX;
import static dev.steward.calendar.CalendarFixtures.TENANT;
import static dev.steward.calendar.CalendarFixtures.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CalendarEventListenerTest {
  static final Instant AT = Instant.parse("2024-03-04T10:00:00Z");
  static final Instant MARCH = Instant.parse("2024-03-01T00:00:00Z");
  static final Instant APRIL = Instant.parse("2024-04-01T00:00:00Z");

  final InMemoryCalendarStore store = InMemoryCalendarStore.of();
  final CommunicationCalendar calendar =
      CommunicationCalendar.builder(store, java.time.Clock.systemUTC())
          .rule(ConflictRule.complaintCooldown(Duration.ofDays(30), ConflictRule.Scope.CONTACT))
          .build();

  static EmailEvent spam(
      String id, EmailAddress email, MessageId message, AccountId account, ContactId contact) {
    return EmailEvent.of(
        id,
        EmailEventType.SPAM_REPORT,
        AT,
        email,
        message,
        TENANT,
        account,
        contact,
        null,
        Map.of());
  }

  List<CalendarEntry> complaints() {
    return store.forAccount(TENANT, GLOBEX, MARCH, APRIL).stream()
        .filter(e -> e.type() == CalendarEntry.Type.COMPLAINT)
        .toList();
  }

  @Test
  void aSpamReportBecomesAComplaintOnceAndHoldsBackLaterMail() {
    CalendarEventListener listener = CalendarEventListener.of(calendar);
    EmailEvent event = spam("e1", null, null, GLOBEX, ANA);
    listener.onEvents(List.of(event, EmailEvent.of("e2", EmailEventType.OPEN, AT, ANA, null)));
    listener.onEvents(List.of(event));

    assertThat(complaints())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.contact()).contains(ANA);
              assertThat(c.at()).isEqualTo(AT);
            });
    assertThat(calendar.conflicts(to("c1", "csm", ANA, "2024-03-10T09:00:00Z")))
        .extracting(CalendarConflict::rule)
        .containsExactly("complaint-cooldown/contact/PT720H");
  }

  @Test
  void aSpamReportAboutAContactErasedSinceIsNotRecorded() {
    CalendarEventListener listener =
        CalendarEventListener.builder(calendar)
            .erasedAt(
                (tenant, contact) ->
                    tenant.equals(TENANT) && contact.equals(ANA)
                        ? Optional.of(AT)
                        : Optional.empty())
            .build();

    listener.onEvents(List.of(spam("e1", null, null, GLOBEX, ANA)));
    assertThat(complaints()).as("reported at the erasure instant").isEmpty();

    ContactId bob = ContactId.of("bob");
    listener.onEvents(List.of(spam("e2", null, null, GLOBEX, bob)));
    EmailEvent later =
        EmailEvent.of(
            "e3",
            EmailEventType.SPAM_REPORT,
            AT.plusSeconds(1),
            null,
            null,
            TENANT,
            GLOBEX,
            ANA,
            null,
            Map.of());
    listener.onEvents(List.of(later));
    assertThat(complaints())
        .as("another contact, and a report after the erasure")
        .extracting(CalendarEntry::contact)
        .containsExactlyInAnyOrder(Optional.of(bob), Optional.of(ANA));
  }

  @Test
  void takesAccountAndContactFromTheCalendarEntryOfTheMessage() {
    calendar.schedule(to("msg-1", "marketing", ANA, "2024-03-03T09:00:00Z"));
    CalendarEventListener.of(calendar)
        .onEvents(
            List.of(
                spam(
                    "e1",
                    EmailAddress.of("ana@globex.example"),
                    MessageId.of("msg-1"),
                    null,
                    null)));

    assertThat(complaints()).extracting(CalendarEntry::contact).containsExactly(Optional.of(ANA));
  }

  @Test
  void resolvesAnEmailOnlyEventThroughTheResolvers() {
    CalendarEventListener listener =
        CalendarEventListener.builder(calendar)
            .contactResolver((t, e) -> Optional.of(ANA))
            .accountResolver((t, c) -> c.equals(ANA) ? Optional.of(GLOBEX) : Optional.empty())
            .build();
    listener.onEvents(List.of(spam("e1", EmailAddress.of("ana@globex.example"), null, null, null)));

    assertThat(complaints()).extracting(CalendarEntry::contact).containsExactly(Optional.of(ANA));
  }

  @Test
  void skipsAReportWhoseAccountIsUnknown() {
    CalendarEventListener.of(calendar)
        .onEvents(List.of(spam("e1", EmailAddress.of("x@y.example"), null, null, ANA)));
    assertThat(store.forContact(TENANT, ANA, MARCH, APRIL)).isEmpty();
  }

  @Test
  void theComplaintBelongsToTheEventsTenantAndItsResolversAreAskedWithinIt() {
    TenantId other = TenantId.of("other-tenant");
    List<TenantId> asked = new java.util.ArrayList<>();
    CalendarEventListener listener =
        CalendarEventListener.builder(calendar)
            .accountResolver(
                (t, c) -> {
                  asked.add(t);
                  return Optional.of(GLOBEX);
                })
            .build();
    listener.onEvents(
        List.of(
            EmailEvent.of(
                "e1",
                EmailEventType.SPAM_REPORT,
                AT,
                null,
                null,
                other,
                null,
                ANA,
                null,
                Map.of())));

    assertThat(asked).containsExactly(other);
    assertThat(complaints()).isEmpty();
    assertThat(store.forContact(other, ANA, MARCH, APRIL)).hasSize(1);
    // the other tenant's complaint holds back nothing of this tenant's contact of the same id
    assertThat(calendar.conflicts(to("c1", "csm", ANA, "2024-03-05T10:00:00Z"))).isEmpty();
  }

  @Test
  void anEventWithoutATenantTakesTheDefaultTenantOrIsSkipped() {
    EmailEvent noTenant =
        EmailEvent.of(
            "e1", EmailEventType.SPAM_REPORT, AT, null, null, null, GLOBEX, ANA, null, Map.of());

    CalendarEventListener.of(calendar).onEvents(List.of(noTenant));
    assertThat(complaints()).isEmpty();

    CalendarEventListener.builder(calendar)
        .defaultTenant(TENANT)
        .build()
        .onEvents(List.of(noTenant));
    assertThat(complaints()).hasSize(1);
  }
}
