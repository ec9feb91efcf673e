package dev.steward.calendar;

import static dev.steward.calendar.CalendarFixtures.ANA;
import static dev.steward.calendar.CalendarFixtures.BOB;
import static dev.steward.calendar.CalendarFixtures.GLOBEX;
import static dev.steward.calendar.CalendarFixtures.TENANT;
import static dev.steward.calendar.CalendarFixtures.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.calendar.CalendarEntry.Status;
import dev.steward.calendar.CalendarEntry.Type;
import dev.steward.calendar.CommunicationCalendar.ScheduleResult;
import dev.steward.calendar.ConflictRule.Scope;
import dev.steward.model.Channel;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommunicationCalendarTest {
  static final Instant MARCH = Instant.parse("2024-03-01T00:00:00Z");
  static final Instant APRIL = Instant.parse("2024-04-01T00:00:00Z");

  final SettableClock clock = SettableClock.of(Instant.parse("2024-03-05T08:00:00Z"));
  final InMemoryCalendarStore store = InMemoryCalendarStore.of();
  final CommunicationCalendar calendar =
      CommunicationCalendar.builder(store, clock)
          .rule(ConflictRule.differentTeamsSameDay(Scope.CONTACT))
          .build();

  List<CalendarEntry> everything() {
    return store.forAccount(TENANT, GLOBEX, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
  }

  @Test
  void schedulesAClearEntryAndFindsItByAccountAndContact() {
    CalendarEntry m1 = calendar.schedule(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
    calendar.schedule(to("m2", "marketing", BOB, "2024-03-06T09:00:00Z"));

    assertThat(calendar.find(TENANT, "m1")).contains(m1);
    assertThat(calendar.forContact(TENANT, ANA, MARCH, APRIL)).containsExactly(m1);
    assertThat(calendar.forAccount(TENANT, GLOBEX, MARCH, APRIL))
        .extracting(CalendarEntry::id)
        .containsExactly("m1", "m2");
    assertThat(calendar.forAccount(TENANT, GLOBEX, MARCH, Instant.parse("2024-03-06T00:00:00Z")))
        .extracting(CalendarEntry::id)
        .containsExactly("m1");
  }

  @Test
  void scheduleIfClearReturnsTheConflictsAndStoresNothing() {
    calendar.schedule(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
    List<CalendarEntry> before = everything();

    ScheduleResult result = calendar.scheduleIfClear(to("c1", "csm", ANA, "2024-03-05T15:00:00Z"));

    assertThat(result.scheduled()).isFalse();
    assertThat(result.conflicts())
        .singleElement()
        .satisfies(c -> assertThat(c.entryIds()).containsExactly("m1"));
    assertThat(everything()).isEqualTo(before);
  }

  @Test
  void scheduleThrowsTheConflictsAndStoresNothing() {
    calendar.schedule(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
    List<CalendarEntry> before = everything();

    assertThatThrownBy(() -> calendar.schedule(to("c1", "csm", ANA, "2024-03-05T15:00:00Z")))
        .isInstanceOfSatisfying(
            CalendarConflictException.class,
            e -> {
              assertThat(e.conflicts()).hasSize(1);
              assertThat(e.getMessage())
                  .contains("'c1'")
                  .contains("different-teams-same-day/contact")
                  .contains("team 'marketing' already does");
            });
    assertThat(everything()).isEqualTo(before);
  }

  @Test
  void reschedulingAnEntryDoesNotConflictWithItself() {
    calendar.schedule(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
    calendar.schedule(to("c1", "csm", ANA, "2024-03-06T09:00:00Z"));

    calendar.schedule(to("c1", "csm", ANA, "2024-03-06T18:00:00Z"));
    assertThat(calendar.find(TENANT, "c1").orElseThrow().at())
        .isEqualTo(Instant.parse("2024-03-06T18:00:00Z"));

    assertThat(calendar.scheduleIfClear(to("c1", "csm", ANA, "2024-03-05T18:00:00Z")).scheduled())
        .isFalse();
    assertThat(calendar.find(TENANT, "c1").orElseThrow().at())
        .isEqualTo(Instant.parse("2024-03-06T18:00:00Z"));
  }

  @Test
  void teamNamesAreComparedWithoutCase() {
    CalendarEntry stored = calendar.schedule(to("m1", " Marketing ", ANA, "2024-03-05T09:00:00Z"));
    assertThat(stored.team()).contains("marketing");
    assertThat(
            calendar
                .scheduleIfClear(to("m2", "MARKETING", ANA, "2024-03-05T12:00:00Z"))
                .scheduled())
        .isTrue();
  }

  @Test
  void markSentAndCancelMoveAnEntryOnceAndRefuseTheImpossible() {
    calendar.schedule(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
    calendar.schedule(to("m2", "marketing", ANA, "2024-03-07T09:00:00Z"));
    Instant sentAt = Instant.parse("2024-03-05T09:00:04Z");

    CalendarEntry sent = calendar.markSent(TENANT, "m1", sentAt);
    assertThat(sent.status()).isEqualTo(Status.SENT);
    assertThat(sent.at()).isEqualTo(sentAt);
    assertThat(calendar.markSent(TENANT, "m1", sentAt.plusSeconds(60))).isEqualTo(sent);
    assertThatThrownBy(() -> calendar.cancel(TENANT, "m1"))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("already sent");

    CalendarEntry cancelled = calendar.cancel(TENANT, "m2");
    assertThat(cancelled.status()).isEqualTo(Status.CANCELLED);
    assertThat(calendar.cancel(TENANT, "m2")).isEqualTo(cancelled);
    assertThatThrownBy(() -> calendar.markSent(TENANT, "m2", sentAt))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("cancelled");
    assertThatThrownBy(() -> calendar.cancel(TENANT, "nope"))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("no calendar entry with id 'nope'");
  }

  @Test
  void aSentEntryCannotBeScheduledAgain() {
    calendar.schedule(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
    calendar.markSent(TENANT, "m1", Instant.parse("2024-03-05T09:00:00Z"));
    CalendarEntry sent = calendar.find(TENANT, "m1").orElseThrow();

    assertThatThrownBy(() -> calendar.schedule(to("m1", "marketing", ANA, "2024-03-09T09:00:00Z")))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("'m1' already exists as a SENT");
    assertThat(calendar.find(TENANT, "m1")).contains(sent);
  }

  @Test
  void badEntriesAreRefusedBeforeAnythingIsStored() {
    CalendarEntry sent =
        CalendarEntry.of(
            TENANT,
            "s",
            Type.COMMUNICATION,
            Status.SENT,
            GLOBEX,
            ANA,
            "csm",
            MessageKind.RELATIONSHIP,
            "check-ins",
            Channel.EMAIL,
            null,
            clock.instant());
    CalendarEntry complaint =
        CalendarEntry.of(
            TENANT,
            "k",
            Type.COMPLAINT,
            Status.SENT,
            GLOBEX,
            ANA,
            null,
            null,
            null,
            null,
            null,
            clock.instant());

    assertThatThrownBy(() -> calendar.schedule(sent))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("status must be SCHEDULED");
    assertThatThrownBy(() -> calendar.scheduleIfClear(complaint))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("type must be COMMUNICATION");
    assertThatThrownBy(() -> calendar.schedule(to("b", "  ", ANA, "2024-03-05T09:00:00Z")))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("team must not be blank");
    assertThatThrownBy(() -> calendar.schedule(null))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("entry");
    assertThatThrownBy(() -> calendar.forAccount(TENANT, GLOBEX, APRIL, MARCH))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("must be before");
    assertThatThrownBy(() -> calendar.recordComplaint(TENANT, null, ANA, clock.instant()))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("account");

    assertThat(everything()).isEmpty();
  }

  @Test
  void recordsPipelineMessagesWithoutChecksAndNeverUnsendsThem() {
    Message message =
        Message.builder()
            .id(MessageId.of("msg-1"))
            .tenant(TENANT)
            .account(GLOBEX)
            .contact(ANA)
            .to("ana@globex.example")
            .kind(MessageKind.RELATIONSHIP)
            .category("check-ins")
            .source(Source.CSM)
            .createdAt(clock.instant())
            .build();
    calendar.schedule(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));

    CalendarEntry scheduled = calendar.record(message, Status.SCHEDULED);
    assertThat(scheduled)
        .isEqualTo(
            CalendarEntry.of(
                TENANT,
                "msg-1",
                Type.COMMUNICATION,
                Status.SCHEDULED,
                GLOBEX,
                ANA,
                "csm",
                MessageKind.RELATIONSHIP,
                "check-ins",
                Channel.EMAIL,
                null,
                clock.instant()));

    clock.advance(Duration.ofMinutes(5));
    CalendarEntry sent = calendar.record(message, Status.SENT);
    assertThat(sent.status()).isEqualTo(Status.SENT);
    assertThat(sent.at()).isEqualTo(clock.instant());
    assertThat(calendar.record(message, Status.SCHEDULED)).isEqualTo(sent);
    assertThat(calendar.find(TENANT, "msg-1")).contains(sent);

    assertThatThrownBy(() -> calendar.record(message, Status.CANCELLED))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("status must be SCHEDULED or SENT");
  }

  @Test
  void theSameComplaintIsStoredOnce() {
    Instant at = Instant.parse("2024-03-04T10:00:00Z");
    CalendarEntry first = calendar.recordComplaint(TENANT, GLOBEX, ANA, at);
    CalendarEntry again = calendar.recordComplaint(TENANT, GLOBEX, ANA, at);

    assertThat(again).isEqualTo(first);
    assertThat(first.type()).isEqualTo(Type.COMPLAINT);
    assertThat(calendar.forContact(TENANT, ANA, MARCH, APRIL)).containsExactly(first);
  }

  @Test
  void eraseRemovesEveryEntryOfTheContactOnly() {
    calendar.schedule(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
    calendar.recordComplaint(TENANT, GLOBEX, ANA, Instant.parse("2024-03-04T10:00:00Z"));
    calendar.schedule(to("m2", "marketing", BOB, "2024-03-05T09:00:00Z"));

    assertThat(calendar.erase(TENANT, ANA)).isEqualTo(2);
    assertThat(calendar.forContact(TENANT, ANA, MARCH, APRIL)).isEmpty();
    assertThat(calendar.forAccount(TENANT, GLOBEX, MARCH, APRIL))
        .extracting(CalendarEntry::id)
        .containsExactly("m2");
  }

  @Test
  void cancelledCandidatesHaveNoConflicts() {
    calendar.schedule(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));
    CalendarEntry c = to("c1", "csm", ANA, "2024-03-05T15:00:00Z");
    CalendarEntry cancelled =
        new CalendarEntry(
            TENANT,
            c.id(),
            c.type(),
            Status.CANCELLED,
            c.account(),
            c.contact(),
            c.team(),
            c.kind(),
            c.category(),
            c.channel(),
            c.campaign(),
            c.at());
    assertThat(calendar.conflicts(c)).hasSize(1);
    assertThat(calendar.conflicts(cancelled)).isEmpty();
  }

  @Test
  void anEntryIdNamesAnEntryOfOneTenantOnly() {
    TenantId other = TenantId.of("other-tenant");
    calendar.schedule(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));

    assertThat(calendar.find(other, "m1")).isEmpty();
    assertThatThrownBy(() -> calendar.markSent(other, "m1", clock.instant()))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("no calendar entry with id 'm1'");
    assertThatThrownBy(() -> calendar.cancel(other, "m1"))
        .isInstanceOf(InvalidCalendarException.class);
    assertThat(calendar.erase(other, ANA)).isZero();
    assertThat(calendar.eraseTenant(other)).isZero();
    assertThat(calendar.find(TENANT, "m1")).isPresent();

    assertThat(calendar.eraseTenant(TENANT)).isEqualTo(1);
    assertThat(calendar.find(TENANT, "m1")).isEmpty();
  }

  @Test
  void twoCalendarsOverOneStoreNeverBothScheduleConflictingEntries() {
    CommunicationCalendar a =
        CommunicationCalendar.builder(store, java.time.Clock.systemUTC())
            .rule(ConflictRule.differentTeamsSameDay(Scope.CONTACT))
            .build();
    CommunicationCalendar b =
        CommunicationCalendar.builder(store, java.time.Clock.systemUTC())
            .rule(ConflictRule.differentTeamsSameDay(Scope.CONTACT))
            .build();

    List<Boolean> scheduled =
        dev.steward.testing.Concurrently.run(
            8,
            t ->
                (t % 2 == 0 ? a : b)
                    .scheduleIfClear(to("m" + t, "team-" + t, ANA, "2024-03-05T09:00:00Z"))
                    .scheduled());

    assertThat(scheduled.stream().filter(s -> s)).hasSize(1);
  }

  @Test
  void reschedulingToAnotherContactLocksBothAndMovesTheEntry() {
    calendar.schedule(to("m1", "marketing", ANA, "2024-03-05T09:00:00Z"));

    CalendarEntry moved = calendar.schedule(to("m1", "marketing", BOB, "2024-03-05T09:00:00Z"));

    assertThat(calendar.find(TENANT, "m1")).contains(moved);
    assertThat(calendar.forContact(TENANT, ANA, Instant.MIN, Instant.MAX)).isEmpty();
    assertThat(calendar.markSent(TENANT, "m1", clock.instant()).contact()).contains(BOB);
  }

  @Test
  void everyMethodRefusesANullTenantNamingIt() {
    Instant at = clock.instant();
    List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls =
        List.of(
            () -> calendar.find(null, "m1"),
            () -> calendar.forAccount(null, GLOBEX, at, at.plusSeconds(1)),
            () -> calendar.forContact(null, ANA, at, at.plusSeconds(1)),
            () -> calendar.markSent(null, "m1", at),
            () -> calendar.cancel(null, "m1"),
            () -> calendar.recordComplaint(null, GLOBEX, ANA, at),
            () -> calendar.erase(null, ANA),
            () -> calendar.eraseTenant(null));
    for (var call : calls) {
      assertThatThrownBy(call)
          .isInstanceOf(InvalidCalendarException.class)
          .hasMessageContaining("tenant");
    }
    assertThat(store.forAccount(TENANT, GLOBEX, Instant.MIN, Instant.MAX)).isEmpty();
  }
}
