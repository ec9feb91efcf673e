package dev.steward.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of every {@link CalendarStore} (TCK). */
public abstract class CalendarStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00.000000001Z");
  protected static final TenantId TENANT = TenantId.of("isv-tenant");
  protected static final TenantId OTHER_TENANT = TenantId.of("other-tenant");
  protected static final AccountId ACME = AccountId.of("acme");
  protected static final ContactId ADA = ContactId.of("ada");

  protected CalendarStore store;

  /** A new, empty store. */
  protected abstract CalendarStore newStore();

  /** Another instance over the data of the last {@link #newStore()} (the same one in memory). */
  protected abstract CalendarStore secondInstance();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static CalendarEntry sent(String id, AccountId account, ContactId contact, Instant at) {
    return CalendarEntry.of(
        TENANT,
        id,
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SENT,
        account,
        contact,
        "marketing",
        MessageKind.PROMOTIONAL,
        "offers",
        Channel.EMAIL,
        "spring-sale",
        at);
  }

  protected static CalendarEntry sent(
      TenantId tenant, String id, AccountId account, ContactId contact, Instant at) {
    return CalendarEntry.of(
        tenant,
        id,
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SENT,
        account,
        contact,
        "marketing",
        MessageKind.PROMOTIONAL,
        "offers",
        Channel.EMAIL,
        "spring-sale",
        at);
  }

  protected static CalendarEntry complaint(String id, ContactId contact, Instant at) {
    return CalendarEntry.of(
        TENANT,
        id,
        CalendarEntry.Type.COMPLAINT,
        CalendarEntry.Status.SENT,
        ACME,
        contact,
        null,
        null,
        null,
        null,
        null,
        at);
  }

  private static List<String> ids(List<CalendarEntry> entries) {
    return entries.stream().map(CalendarEntry::id).toList();
  }

  @Test
  void entriesComeBackExactlyAsStored() {
    CalendarEntry webinar =
        CalendarEntry.of(
            TENANT,
            "webinar-1",
            CalendarEntry.Type.COMMUNICATION,
            CalendarEntry.Status.SCHEDULED,
            ACME,
            null,
            "csm",
            MessageKind.EDUCATIONAL,
            "webinars",
            Channel.WEBINAR,
            null,
            T0.plusSeconds(3600));
    CalendarEntry mail = sent("m-1", ACME, ADA, T0);
    CalendarEntry complaint = complaint("complaint-1", ADA, T0.plusNanos(5));

    store.put(webinar);
    store.put(mail);
    store.put(complaint);

    assertThat(store.find(TENANT, "webinar-1")).contains(webinar);
    assertThat(store.find(TENANT, "m-1")).contains(mail);
    assertThat(secondInstance().find(TENANT, "complaint-1")).contains(complaint);
    assertThat(store.find(TENANT, "absent")).isEmpty();
  }

  @Test
  void putReplacesTheEntryWithTheSameId() {
    store.put(sent("m-1", ACME, ADA, T0));
    CalendarEntry moved =
        CalendarEntry.of(
            TENANT,
            "m-1",
            CalendarEntry.Type.COMMUNICATION,
            CalendarEntry.Status.CANCELLED,
            AccountId.of("globex"),
            ContactId.of("bob"),
            "sales",
            MessageKind.RELATIONSHIP,
            "renewals",
            Channel.CALL,
            null,
            T0.plusSeconds(60));

    store.put(moved);

    assertThat(store.find(TENANT, "m-1")).contains(moved);
    assertThat(store.forContact(TENANT, ADA, Instant.MIN, Instant.MAX)).isEmpty();
    assertThat(store.forAccount(TENANT, ACME, Instant.MIN, Instant.MAX)).isEmpty();
    assertThat(store.forContact(TENANT, ContactId.of("bob"), T0, T0.plusSeconds(61)))
        .containsExactly(moved);
  }

  @Test
  void forAccountReturnsTheRangeFromInclusiveToExclusiveInTimeOrder() {
    store.put(sent("before", ACME, ADA, T0.minusNanos(1)));
    store.put(sent("at-from", ACME, ADA, T0));
    store.put(sent("b-same-time", ACME, ContactId.of("bob"), T0.plusSeconds(10)));
    store.put(sent("a-same-time", ACME, null, T0.plusSeconds(10)));
    store.put(sent("middle", ACME, ADA, T0.plusSeconds(5)));
    store.put(sent("at-to", ACME, ADA, T0.plusSeconds(20)));
    store.put(sent("other-account", AccountId.of("globex"), ADA, T0.plusSeconds(5)));

    assertThat(ids(store.forAccount(TENANT, ACME, T0, T0.plusSeconds(20))))
        .containsExactly("at-from", "middle", "a-same-time", "b-same-time");
    assertThat(store.forAccount(TENANT, ACME, T0.plusSeconds(20), T0.plusSeconds(20))).isEmpty();
    assertThat(ids(store.forAccount(TENANT, ACME, Instant.MIN, Instant.MAX))).hasSize(6);
  }

  /**
   * A range reaching after the storable range holds an entry at its last instant, as memory does;
   * the JDBC store clamped 'to' onto that instant and, reading before it, missed the entry.
   */
  @Test
  void aRangeBeyondTheStorableRangeHoldsTheEntriesAtItsEnds() {
    Instant first = dev.steward.model.StoreLimits.MIN_INSTANT;
    Instant last = dev.steward.model.StoreLimits.MAX_INSTANT;
    store.put(sent("first", ACME, ADA, first));
    store.put(sent("last", ACME, ADA, last));

    assertThat(ids(store.forAccount(TENANT, ACME, Instant.MIN, Instant.MAX)))
        .containsExactly("first", "last");
    assertThat(ids(store.forContact(TENANT, ADA, last, Instant.MAX))).containsExactly("last");
    assertThat(ids(store.forAccount(TENANT, ACME, first, last))).containsExactly("first");
    assertThat(ids(store.forContact(TENANT, ADA, Instant.MIN, first))).isEmpty();
    assertThat(store.forAccount(TENANT, ACME, last.plusNanos(1), Instant.MAX)).isEmpty();
    assertThat(ids(secondInstance().forContact(TENANT, ADA, Instant.MIN, Instant.MAX)))
        .containsExactly("first", "last");
  }

  @Test
  void forContactLeavesOutAccountWideEntriesAndOtherContacts() {
    store.put(sent("mine", ACME, ADA, T0));
    store.put(complaint("my-complaint", ADA, T0.plusSeconds(1)));
    store.put(sent("account-wide", ACME, null, T0));
    store.put(sent("bobs", ACME, ContactId.of("bob"), T0));

    assertThat(ids(store.forContact(TENANT, ADA, T0, T0.plusSeconds(60))))
        .containsExactly("mine", "my-complaint");
  }

  @Test
  void eraseContactDeletesOnlyThatContactsEntries() {
    store.put(sent("mine", ACME, ADA, T0));
    store.put(complaint("my-complaint", ADA, T0));
    store.put(sent("account-wide", ACME, null, T0));
    store.put(sent("bobs", ACME, ContactId.of("bob"), T0));

    assertThat(store.eraseContact(TENANT, ADA)).isEqualTo(2);
    assertThat(store.eraseContact(TENANT, ADA)).isZero();
    assertThat(ids(store.forAccount(TENANT, ACME, Instant.MIN, Instant.MAX)))
        .containsExactlyInAnyOrder("account-wide", "bobs");
  }

  @Test
  void aSpamReportOfLongValidIdsIsRecordedOnceInEveryStore() {
    CommunicationCalendar calendar =
        CommunicationCalendar.builder(store, java.time.Clock.systemUTC()).build();
    CalendarEventListener listener = CalendarEventListener.of(calendar);
    AccountId account = AccountId.of("a".repeat(90));
    ContactId contact = ContactId.of("c".repeat(90));
    EmailEvent spam =
        EmailEvent.of(
            "spam-1",
            EmailEventType.SPAM_REPORT,
            T0,
            null,
            null,
            TENANT,
            account,
            contact,
            null,
            Map.of());

    listener.onEvents(List.of(spam));
    listener.onEvents(List.of(spam));

    assertThat(store.forContact(TENANT, contact, Instant.MIN, Instant.MAX))
        .singleElement()
        .satisfies(c -> assertThat(c.type()).isEqualTo(CalendarEntry.Type.COMPLAINT));
  }

  @Test
  void complaintIdsAreBoundedAndDeterministicWhateverTheIdsLengths() {
    CommunicationCalendar calendar =
        CommunicationCalendar.builder(store, java.time.Clock.systemUTC()).build();
    AccountId account = AccountId.of("a".repeat(200));
    ContactId contact = ContactId.of("c".repeat(200));

    CalendarEntry first = calendar.recordComplaint(TENANT, account, contact, T0);
    CalendarEntry again = calendar.recordComplaint(TENANT, account, contact, T0);
    CalendarEntry accountWide = calendar.recordComplaint(TENANT, account, null, T0);

    assertThat(first.id()).hasSizeLessThanOrEqualTo(200).isEqualTo(again.id());
    assertThat(accountWide.id()).hasSizeLessThanOrEqualTo(200).isNotEqualTo(first.id());
    assertThat(secondInstance().find(TENANT, first.id())).contains(first);
    assertThat(store.forAccount(TENANT, account, Instant.MIN, Instant.MAX)).hasSize(2);
  }

  // ---- two tenants ------------------------------------------------------------------------------

  @Test
  void theSameIdUnderTwoTenantsIsTwoEntries() {
    CalendarEntry mine = sent(TENANT, "m-1", ACME, ADA, T0);
    CalendarEntry theirs = sent(OTHER_TENANT, "m-1", ACME, ADA, T0.plusSeconds(1));

    store.put(mine);
    store.put(theirs);

    assertThat(store.find(TENANT, "m-1")).contains(mine);
    assertThat(secondInstance().find(OTHER_TENANT, "m-1")).contains(theirs);
    assertThat(store.find(TenantId.of("third"), "m-1")).isEmpty();
  }

  @Test
  void readsNeverCrossTenants() {
    store.put(sent(TENANT, "mine", ACME, ADA, T0));
    store.put(sent(OTHER_TENANT, "theirs", ACME, ADA, T0));
    store.put(sent(OTHER_TENANT, "theirs-account-wide", ACME, null, T0));

    assertThat(ids(store.forAccount(TENANT, ACME, Instant.MIN, Instant.MAX)))
        .containsExactly("mine");
    assertThat(ids(store.forContact(TENANT, ADA, Instant.MIN, Instant.MAX)))
        .containsExactly("mine");
    assertThat(ids(store.forAccount(OTHER_TENANT, ACME, Instant.MIN, Instant.MAX)))
        .containsExactly("theirs", "theirs-account-wide");
    assertThat(ids(store.forContact(OTHER_TENANT, ADA, Instant.MIN, Instant.MAX)))
        .containsExactly("theirs");
  }

  @Test
  void conflictsNeverCrossTenants() {
    CommunicationCalendar calendar =
        CommunicationCalendar.builder(store, java.time.Clock.systemUTC())
            .rule(ConflictRule.differentTeamsSameDay(ConflictRule.Scope.CONTACT))
            .rule(ConflictRule.complaintCooldown(Duration.ofDays(7), ConflictRule.Scope.ACCOUNT))
            .build();
    calendar.schedule(scheduled(OTHER_TENANT, "m-1", "sales", T0));
    calendar.recordComplaint(OTHER_TENANT, ACME, ADA, T0.minusSeconds(60));

    assertThat(calendar.scheduleIfClear(scheduled(TENANT, "m-1", "marketing", T0)).scheduled())
        .isTrue();
    assertThat(calendar.conflicts(scheduled(TENANT, "m-2", "csm", T0)))
        .singleElement()
        .satisfies(c -> assertThat(c.entryIds()).containsExactly("m-1"));
    assertThat(calendar.conflicts(scheduled(OTHER_TENANT, "m-3", "csm", T0)))
        .extracting(CalendarConflict::rule)
        .containsExactly("different-teams-same-day/contact", "complaint-cooldown/account/PT168H");
  }

  @Test
  void eraseContactAndEraseTenantStayInTheirTenant() {
    store.put(sent(TENANT, "mine", ACME, ADA, T0));
    store.put(sent(TENANT, "account-wide", ACME, null, T0));
    store.put(sent(OTHER_TENANT, "theirs", ACME, ADA, T0));
    store.put(sent(OTHER_TENANT, "theirs-2", ACME, ContactId.of("bob"), T0));

    assertThat(store.eraseContact(TENANT, ADA)).isEqualTo(1);
    assertThat(store.find(OTHER_TENANT, "theirs")).isPresent();

    assertThat(store.eraseTenant(OTHER_TENANT)).isEqualTo(2);
    assertThat(store.eraseTenant(OTHER_TENANT)).isZero();
    assertThat(secondInstance().forAccount(OTHER_TENANT, ACME, Instant.MIN, Instant.MAX)).isEmpty();
    assertThat(ids(store.forAccount(TENANT, ACME, Instant.MIN, Instant.MAX)))
        .containsExactly("account-wide");
    assertThat(store.eraseTenant(TenantId.of("never-seen"))).isZero();
  }

  private static CalendarEntry scheduled(TenantId tenant, String id, String team, Instant at) {
    return CalendarEntry.of(
        tenant,
        id,
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SCHEDULED,
        ACME,
        ADA,
        team,
        MessageKind.EDUCATIONAL,
        "tips",
        Channel.EMAIL,
        null,
        at);
  }

  // ---- update: check and write under one lock ----------------------------------------------

  @Test
  void updateWritesWhatTheChangeAnswersAndReadsOnlyItsTenant() {
    store.put(sent(TENANT, "mine", ACME, ADA, T0));
    store.put(sent(OTHER_TENANT, "theirs", ACME, ADA, T0));
    CalendarEntry next = sent(TENANT, "next", ACME, ADA, T0.plusSeconds(1));

    List<String> seen =
        store.update(
            TENANT,
            Set.of(ACME),
            Set.of(ADA),
            view -> {
              List<String> read =
                  new ArrayList<>(ids(view.forAccount(ACME, T0, T0.plusSeconds(9))));
              read.addAll(ids(view.forContact(ADA, T0, T0.plusSeconds(9))));
              view.find("theirs").ifPresent(e -> read.add("crossed!"));
              return CalendarChange.write(read, next);
            });

    assertThat(seen).containsExactly("mine", "mine");
    assertThat(secondInstance().find(TENANT, "next")).contains(next);
    int seven = store.update(TENANT, Set.of(ACME), Set.of(), v -> CalendarChange.unchanged(7));
    assertThat(seven).isEqualTo(7);
    assertThat(store.forAccount(TENANT, ACME, Instant.MIN, Instant.MAX)).hasSize(2);
  }

  @Test
  void anUpdateWhoseChangeThrowsWritesNothing() {
    CalendarEntry next = sent(TENANT, "next", ACME, ADA, T0);
    Throwable t =
        catchThrowable(
            () ->
                store.update(
                    TENANT,
                    Set.of(ACME),
                    Set.of(ADA),
                    view -> {
                      CalendarChange.write(null, next);
                      throw new IllegalStateException("rule failed");
                    }));

    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("rule failed");
    assertThat(store.find(TENANT, "next")).isEmpty();
    // the lock was released: the next update runs
    store.update(TENANT, Set.of(ACME), Set.of(ADA), v -> CalendarChange.write(1, next));
    assertThat(store.find(TENANT, "next")).contains(next);
  }

  @Test
  void updatesOfOneScopeFromManyInstancesAtOnceRunOneAfterTheOther() {
    int threads = 6;
    int allowed = 2;
    List<Boolean> written =
        dev.steward.testing.Concurrently.run(
            threads,
            i -> {
              CalendarStore instance = secondInstance();
              CalendarEntry mine = sent(TENANT, "m-" + i, ACME, ContactId.of("c-" + i), T0);
              return instance.update(
                  TENANT,
                  Set.of(ACME),
                  Set.of(mine.contact().orElseThrow()),
                  view -> {
                    int already = view.forAccount(ACME, Instant.MIN, Instant.MAX).size();
                    pause();
                    return already < allowed
                        ? CalendarChange.write(true, mine)
                        : CalendarChange.unchanged(false);
                  });
            });

    assertThat(written.stream().filter(w -> w)).hasSize(allowed);
    assertThat(store.forAccount(TENANT, ACME, Instant.MIN, Instant.MAX)).hasSize(allowed);
  }

  /** Widens a race window: a check that reads and then writes would let others in here. */
  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anUpdateRefusesToWriteOutsideWhatItLocked() {
    List<Bad> cases = new ArrayList<>();
    cases.add(
        new Bad(
            "another tenant's entry",
            "tenant",
            () ->
                store.update(
                    TENANT,
                    Set.of(ACME),
                    Set.of(ADA),
                    v -> CalendarChange.write(1, sent(OTHER_TENANT, "m", ACME, ADA, T0)))));
    cases.add(
        new Bad(
            "an unlocked account",
            "locked",
            () ->
                store.update(
                    TENANT,
                    Set.of(ACME),
                    Set.of(ADA),
                    v ->
                        CalendarChange.write(
                            1, sent(TENANT, "m", AccountId.of("globex"), ADA, T0)))));
    cases.add(
        new Bad(
            "an unlocked contact",
            "locked",
            () ->
                store.update(
                    TENANT,
                    Set.of(ACME),
                    Set.of(),
                    v -> CalendarChange.write(1, sent(TENANT, "m", ACME, ADA, T0)))));
    cases.add(
        new Bad(
            "a null answer",
            "change",
            () -> store.update(TENANT, Set.of(ACME), Set.of(), v -> null)));
    assertRefused(cases);
    assertThat(store.find(TENANT, "m")).isEmpty();
    assertThat(store.find(OTHER_TENANT, "m")).isEmpty();
  }

  private static void assertRefused(List<Bad> cases) {
    List<String> wrong = new ArrayList<>();
    for (Bad bad : cases) {
      Throwable t = catchThrowable(bad.call());
      if (!(t instanceof InvalidCalendarException) || !t.getMessage().contains(bad.argument())) {
        wrong.add(bad.what() + ": " + t);
      }
    }
    assertThat(wrong).as("of " + cases.size() + " bad inputs").isEmpty();
  }

  /** One bad input: what it does, and the argument its message must name. */
  private record Bad(String what, String argument, ThrowingCallable call) {}

  @Test
  void everyStoreRefusesTheSameBadInputsNamingTheArgument() {
    String tooLong = "x".repeat(201);
    Instant beyond = Instant.parse("2262-04-12T00:00:00Z");
    List<Bad> cases = new ArrayList<>();
    cases.add(new Bad("put null", "entry", () -> store.put(null)));
    cases.add(new Bad("find tenant null", "tenant", () -> store.find(null, "m")));
    cases.add(
        new Bad("forAccount tenant null", "tenant", () -> store.forAccount(null, ACME, T0, T0)));
    cases.add(
        new Bad("forContact tenant null", "tenant", () -> store.forContact(null, ADA, T0, T0)));
    cases.add(new Bad("eraseContact tenant null", "tenant", () -> store.eraseContact(null, ADA)));
    cases.add(new Bad("eraseTenant null", "tenant", () -> store.eraseTenant(null)));
    cases.add(new Bad("entry tenant null", "tenant", () -> sent(null, "m", ACME, ADA, T0)));
    Function<CalendarStore.LockedView, CalendarChange<Integer>> none =
        v -> CalendarChange.unchanged(0);
    cases.add(
        new Bad(
            "update tenant null",
            "tenant",
            () -> store.update(null, Set.of(ACME), Set.of(), none)));
    cases.add(
        new Bad(
            "update accounts null", "accounts", () -> store.update(TENANT, null, Set.of(), none)));
    cases.add(
        new Bad(
            "update contacts null",
            "contacts",
            () -> store.update(TENANT, Set.of(ACME), null, none)));
    cases.add(
        new Bad(
            "update change null",
            "change",
            () -> store.update(TENANT, Set.of(ACME), Set.of(), null)));
    cases.add(
        new Bad(
            "update no scope",
            "at least one",
            () -> store.update(TENANT, Set.of(), Set.of(), none)));
    cases.add(
        new Bad(
            "update null account",
            "accounts",
            () -> store.update(TENANT, nullHolding(), Set.of(), none)));
    cases.add(new Bad("find null", "id", () -> store.find(TENANT, null)));
    cases.add(new Bad("find blank", "id", () -> store.find(TENANT, " ")));
    cases.add(new Bad("find too long", "id", () -> store.find(TENANT, tooLong)));
    cases.add(new Bad("find control", "id", () -> store.find(TENANT, "m\u0000")));
    cases.add(new Bad("forAccount null", "account", () -> store.forAccount(TENANT, null, T0, T0)));
    cases.add(new Bad("forAccount from", "from", () -> store.forAccount(TENANT, ACME, null, T0)));
    cases.add(new Bad("forAccount to", "to", () -> store.forAccount(TENANT, ACME, T0, null)));
    cases.add(new Bad("forContact null", "contact", () -> store.forContact(TENANT, null, T0, T0)));
    cases.add(new Bad("forContact from", "from", () -> store.forContact(TENANT, ADA, null, T0)));
    cases.add(new Bad("forContact to", "to", () -> store.forContact(TENANT, ADA, T0, null)));
    cases.add(new Bad("eraseContact null", "contact", () -> store.eraseContact(TENANT, null)));
    cases.add(new Bad("entry id null", "id", () -> sent(null, ACME, ADA, T0)));
    cases.add(new Bad("entry id blank", "id", () -> sent(" ", ACME, ADA, T0)));
    cases.add(new Bad("entry id too long", "id", () -> sent(tooLong, ACME, ADA, T0)));
    cases.add(new Bad("entry id control", "id", () -> sent("m\n1", ACME, ADA, T0)));
    cases.add(new Bad("entry account null", "account", () -> sent("m", null, ADA, T0)));
    cases.add(new Bad("entry at null", "at", () -> sent("m", ACME, ADA, null)));
    cases.add(new Bad("entry at too late", "at", () -> sent("m", ACME, ADA, beyond)));
    cases.add(
        new Bad(
            "entry at too early",
            "at",
            () -> sent("m", ACME, ADA, Instant.parse("1677-09-21T00:00:00Z"))));
    cases.add(new Bad("entry team too long", "team", () -> withTeam(tooLong)));
    cases.add(new Bad("entry team control", "team", () -> withTeam("csm\t")));
    cases.add(new Bad("entry campaign too long", "campaign", () -> withCampaign(tooLong)));
    cases.add(new Bad("entry campaign blank", "campaign", () -> withCampaign(" ")));

    List<String> wrong = new ArrayList<>();
    for (Bad bad : cases) {
      Throwable t = catchThrowable(bad.call());
      if (!(t instanceof InvalidCalendarException) || !t.getMessage().contains(bad.argument())) {
        wrong.add(bad.what() + ": " + t);
      }
    }
    assertThat(wrong).as("of " + cases.size() + " bad inputs").isEmpty();
    assertThat(store.forAccount(TENANT, ACME, Instant.MIN, Instant.MAX)).isEmpty();
  }

  // ---- plans: putPlanned and cancelPlanned --------------------------------------------------

  /** A journey's upcoming send of ADA at ACME, as planned at {@code at}. */
  protected static CalendarEntry planned(String id, Instant at) {
    return CalendarEntry.of(
        TENANT,
        id,
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SCHEDULED,
        ACME,
        ADA,
        "csm",
        MessageKind.RELATIONSHIP,
        "renewal",
        Channel.EMAIL,
        "renewal/report",
        at);
  }

  private static CalendarEntry cancelled(CalendarEntry e) {
    return new CalendarEntry(
        e.tenant(),
        e.id(),
        e.type(),
        CalendarEntry.Status.CANCELLED,
        e.account(),
        e.contact(),
        e.team(),
        e.kind(),
        e.category(),
        e.channel(),
        e.campaign(),
        e.at());
  }

  @Test
  void anOlderPlanNeverOverwritesALaterOne() {
    CalendarEntry five = planned("journey:e1", T0.plusSeconds(500));
    CalendarEntry four = planned("journey:e1", T0.plusSeconds(400));

    assertThat(store.putPlanned(five, 5)).isTrue();
    assertThat(secondInstance().putPlanned(four, 4)).as("an older plan, written late").isFalse();
    assertThat(store.find(TENANT, "journey:e1")).contains(five);
    assertThat(store.cancelPlanned(TENANT, "journey:e1", 4)).as("an older cancel").isFalse();
    assertThat(store.find(TENANT, "journey:e1")).contains(five);

    CalendarEntry six = planned("journey:e1", T0.plusSeconds(600));
    assertThat(secondInstance().putPlanned(six, 6)).isTrue();
    assertThat(store.find(TENANT, "journey:e1")).contains(six);
    assertThat(store.cancelPlanned(TENANT, "journey:e1", 7)).isTrue();
    assertThat(store.find(TENANT, "journey:e1")).contains(cancelled(six));
    assertThat(store.putPlanned(five, 5)).as("older than the cancel").isFalse();
    assertThat(store.putPlanned(six, 6)).as("older than the cancel").isFalse();
    assertThat(store.find(TENANT, "journey:e1")).contains(cancelled(six));

    CalendarEntry eight = planned("journey:e1", T0.plusSeconds(800));
    assertThat(store.putPlanned(eight, 8)).as("a later plan after the cancel").isTrue();
    assertThat(secondInstance().find(TENANT, "journey:e1")).contains(eight);
  }

  @Test
  void aPlanAlreadyStoredIsNotWrittenAgainButTheSameSeqMayCorrectIt() {
    CalendarEntry plan = planned("journey:e1", T0);
    assertThat(store.putPlanned(plan, 3)).isTrue();
    assertThat(secondInstance().putPlanned(plan, 3)).as("the same plan again").isFalse();

    // the same seq with other values (the contact's account moved between two instances' reads)
    CalendarEntry moved =
        CalendarEntry.of(
            TENANT,
            "journey:e1",
            CalendarEntry.Type.COMMUNICATION,
            CalendarEntry.Status.SCHEDULED,
            AccountId.of("globex"),
            ADA,
            "csm",
            MessageKind.RELATIONSHIP,
            "renewal",
            Channel.EMAIL,
            "renewal/report",
            T0);
    assertThat(store.putPlanned(moved, 3)).isTrue();
    assertThat(store.find(TENANT, "journey:e1")).contains(moved);
    assertThat(store.forAccount(TENANT, ACME, Instant.MIN, Instant.MAX)).isEmpty();
  }

  @Test
  void cancellingAnEntryThatDoesNotExistOrIsNotScheduledWritesNothing() {
    assertThat(store.cancelPlanned(TENANT, "journey:none", 1)).isFalse();
    assertThat(store.find(TENANT, "journey:none")).isEmpty();
    assertThat(store.forContact(TENANT, ADA, Instant.MIN, Instant.MAX)).isEmpty();

    CalendarEntry mail = sent("m-1", ACME, ADA, T0);
    CalendarEntry complaint = complaint("complaint-1", ADA, T0);
    store.put(mail);
    store.put(complaint);
    assertThat(store.cancelPlanned(TENANT, "m-1", 9)).isFalse();
    assertThat(store.cancelPlanned(TENANT, "complaint-1", 9)).isFalse();
    // nor does a plan replace what was sent or a complaint
    assertThat(store.putPlanned(planned("m-1", T0.plusSeconds(60)), 9)).isFalse();
    assertThat(store.putPlanned(planned("complaint-1", T0.plusSeconds(60)), 9)).isFalse();
    assertThat(store.find(TENANT, "m-1")).contains(mail);
    assertThat(store.find(TENANT, "complaint-1")).contains(complaint);

    CalendarEntry plan = planned("journey:e1", T0);
    store.putPlanned(plan, 2);
    assertThat(store.cancelPlanned(TENANT, "journey:e1", 2)).isTrue();
    assertThat(store.cancelPlanned(TENANT, "journey:e1", 3)).as("cancelled already").isFalse();
    // a plan of the same seq as the cancel differs from the cancelled entry, so it is written
    assertThat(store.putPlanned(plan, 2)).isTrue();
    assertThat(store.find(TENANT, "journey:e1")).contains(plan);
  }

  @Test
  void anErasedPlanGoesWithItsSeqUnlessALaterPlanWroteIt() {
    CalendarEntry five = planned("journey:e1", T0.plusSeconds(500));
    assertThat(store.putPlanned(five, 5)).isTrue();
    assertThat(secondInstance().erasePlanned(five, 4)).as("erased as of an older plan").isFalse();
    assertThat(secondInstance().erasePlanned(five, 6)).as("erased as of a later plan").isFalse();
    assertThat(store.find(TENANT, "journey:e1")).contains(five);

    assertThat(secondInstance().erasePlanned(five, 5)).isTrue();
    assertThat(store.find(TENANT, "journey:e1")).isEmpty();
    assertThat(store.forContact(TENANT, ADA, Instant.MIN, Instant.MAX)).isEmpty();
    assertThat(store.erasePlanned(five, 5)).as("gone already").isFalse();
    // its seq went with it: a plan made again from seq 0 is written
    CalendarEntry zero = planned("journey:e1", T0);
    assertThat(store.putPlanned(zero, 0)).isTrue();
    assertThat(secondInstance().find(TENANT, "journey:e1")).contains(zero);

    // what was written since stays: a later plan of the same values, a cancel of the plan, what
    // was sent and a complaint
    assertThat(store.putPlanned(zero, 1)).isTrue();
    assertThat(store.erasePlanned(zero, 0)).as("written again by seq 1").isFalse();
    assertThat(store.cancelPlanned(TENANT, "journey:e1", 1)).isTrue();
    assertThat(store.erasePlanned(zero, 1)).as("cancelled since").isFalse();
    assertThat(store.find(TENANT, "journey:e1")).contains(cancelled(zero));
    CalendarEntry mail = sent("m-1", ACME, ADA, T0);
    CalendarEntry complaint = complaint("complaint-1", ADA, T0);
    store.put(mail);
    store.put(complaint);
    assertThat(store.erasePlanned(planned("m-1", T0), Long.MAX_VALUE)).isFalse();
    assertThat(store.erasePlanned(planned("complaint-1", T0), Long.MAX_VALUE)).isFalse();
    assertThat(store.find(TENANT, "m-1")).contains(mail);
    assertThat(store.find(TENANT, "complaint-1")).contains(complaint);
  }

  /**
   * rcal (b): a plan erased as of its seq took any entry of that seq, so a plan written since at
   * the same seq (an enrolment made again under the same id after an erasure) went with it.
   */
  @Test
  void anErasedPlanTakesOnlyTheEntryItWroteNotAnotherOfTheSameSeq() {
    CalendarEntry mine = planned("journey:e1", T0);
    CalendarEntry newer = planned("journey:e1", T0.plusSeconds(60));
    assertThat(store.putPlanned(mine, 0)).isTrue();
    store.eraseContact(TENANT, ADA);
    assertThat(secondInstance().putPlanned(newer, 0)).isTrue();

    assertThat(store.erasePlanned(mine, 0)).isFalse();
    assertThat(secondInstance().find(TENANT, "journey:e1")).contains(newer);
    assertThat(store.putPlanned(newer, 0)).as("its seq stayed with it").isFalse();

    // every value counts, the empty ones too
    CalendarEntry bare = bare(null);
    CalendarEntry campaigned = bare("renewal/report");
    assertThat(store.putPlanned(bare, 3)).isTrue();
    assertThat(secondInstance().erasePlanned(campaigned, 3)).isFalse();
    assertThat(store.find(TENANT, "journey:e2")).contains(bare);
    assertThat(secondInstance().erasePlanned(bare, 3)).isTrue();
    assertThat(store.find(TENANT, "journey:e2")).isEmpty();
  }

  /** A planned entry with no contact, and this campaign (null for none). */
  private static CalendarEntry bare(String campaign) {
    return CalendarEntry.of(
        TENANT,
        "journey:e2",
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SCHEDULED,
        ACME,
        null,
        "csm",
        MessageKind.RELATIONSHIP,
        "renewal",
        Channel.EMAIL,
        campaign,
        T0);
  }

  @Test
  void oneEntryOfAContactIsErasedWhateverItsStatusAndNoOtherGoes() {
    ContactId bob = ContactId.of("bob");
    CalendarEntry mail = sent("m-1", ACME, ADA, T0);
    CalendarEntry other = sent("m-2", ACME, ADA, T0.plusSeconds(1));
    CalendarEntry bobs = sent("m-3", ACME, bob, T0);
    store.put(mail);
    store.put(other);
    store.put(bobs);
    store.put(sent(OTHER_TENANT, "m-1", ACME, ADA, T0));

    assertThat(secondInstance().eraseEntry(TENANT, bob, "m-1")).as("another's").isFalse();
    assertThat(secondInstance().eraseEntry(TENANT, ADA, "m-1")).isTrue();

    assertThat(store.find(TENANT, "m-1")).isEmpty();
    assertThat(store.find(TENANT, "m-2")).contains(other);
    assertThat(store.find(TENANT, "m-3")).contains(bobs);
    assertThat(store.find(OTHER_TENANT, "m-1")).isPresent();
    assertThat(store.eraseEntry(TENANT, ADA, "m-1")).as("gone already").isFalse();
    assertThatThrownBy(() -> store.eraseEntry(TENANT, null, "m-1"))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("contact");
  }

  @Test
  void erasingAPlanRefusesBadInput() {
    assertThatThrownBy(() -> store.erasePlanned(null, 1))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("entry");
    assertThatThrownBy(() -> store.erasePlanned(sent("m-1", ACME, ADA, T0), 1))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("SCHEDULED");
    assertThatThrownBy(() -> store.erasePlanned(planned("journey:e1", T0), -1))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void aPlansSeqGoesWithItsEntryWhenTheContactIsErased() {
    store.putPlanned(planned("journey:e1", T0), 7);
    assertThat(store.eraseContact(TENANT, ADA)).isEqualTo(1);

    // the enrolment begun again after the erasure starts its plan at seq 0
    CalendarEntry again = planned("journey:e1", T0.plusSeconds(60));
    assertThat(store.putPlanned(again, 0)).isTrue();
    assertThat(store.find(TENANT, "journey:e1")).contains(again);
    store.putPlanned(planned("journey:e2", T0), 7);
    store.eraseTenant(TENANT);
    assertThat(store.putPlanned(planned("journey:e2", T0), 1)).isTrue();
  }

  @Test
  void plansOfOneEntryFromManyInstancesAtOnceLeaveTheLatest() {
    int threads = 6;
    int perThread = 10;
    int last = threads * perThread - 1;
    // thread i writes seqs i, i + threads, ...: half of them in falling order, so that most of
    // their writes come after a later seq's; every fifth seq is a cancel
    dev.steward.testing.Concurrently.run(
        threads,
        i -> {
          CalendarStore instance = secondInstance();
          for (int k = 0; k < perThread; k++) {
            int n = i % 2 == 0 ? k : perThread - 1 - k;
            int seq = i + n * threads;
            if (seq % 5 == 3) {
              instance.cancelPlanned(TENANT, "journey:e1", seq);
            } else {
              instance.putPlanned(planned("journey:e1", T0.plusSeconds(seq)), seq);
            }
          }
          return null;
        });

    assertThat(last % 5).as("the last seq is a plan, not a cancel").isNotEqualTo(3);
    assertThat(store.find(TENANT, "journey:e1"))
        .contains(planned("journey:e1", T0.plusSeconds(last)));
  }

  @Test
  void putUnlessSentNeverUndoesASentEntryOrAComplaint() {
    CalendarEntry plan = planned("m-1", T0.plusSeconds(60));
    assertThat(store.putUnlessSent(plan)).as("absent").isTrue();
    assertThat(store.find(TENANT, "m-1")).contains(plan);
    CalendarEntry mail = sent("m-1", ACME, ADA, T0);
    assertThat(secondInstance().putUnlessSent(mail)).as("over SCHEDULED").isTrue();
    assertThat(store.find(TENANT, "m-1")).contains(mail);

    assertThat(store.putUnlessSent(plan)).as("SENT stays").isFalse();
    assertThat(store.putUnlessSent(sent("m-1", ACME, ADA, T0.plusSeconds(5)))).isFalse();
    assertThat(store.find(TENANT, "m-1")).contains(mail);
    CalendarEntry complaint = complaint("complaint-1", ADA, T0);
    store.put(complaint);
    assertThat(store.putUnlessSent(sent("complaint-1", ACME, ADA, T0.plusSeconds(5)))).isFalse();
    assertThat(store.find(TENANT, "complaint-1")).contains(complaint);

    // over a cancelled entry, and without touching the plan seq
    store.putPlanned(planned("journey:e1", T0), 5);
    store.cancelPlanned(TENANT, "journey:e1", 5);
    CalendarEntry again = planned("journey:e1", T0.plusSeconds(30));
    assertThat(store.putUnlessSent(again)).isTrue();
    assertThat(store.find(TENANT, "journey:e1")).contains(again);
    assertThat(store.putPlanned(planned("journey:e1", T0), 4)).as("plan seq 5 kept").isFalse();
    assertThatNullIsRefused();
  }

  @Test
  void putAllUnlessSentWritesEachEntryAsPutUnlessSentWouldAcrossChunksAndTenants() {
    // one absent, one over SCHEDULED, one over SENT, one over a complaint, one over a cancelled
    // plan (whose plan seq stays), the same id under another tenant, and 600 more (over a chunk)
    store.put(planned("m-scheduled", T0));
    CalendarEntry wasSent = sent("m-sent", ACME, ADA, T0);
    store.put(wasSent);
    CalendarEntry complaint = complaint("complaint-1", ADA, T0);
    store.put(complaint);
    store.putPlanned(planned("journey:e1", T0), 5);
    store.cancelPlanned(TENANT, "journey:e1", 5);
    List<CalendarEntry> entries = new ArrayList<>();
    entries.add(sent("m-absent", ACME, ADA, T0.plusSeconds(1)));
    entries.add(sent("m-scheduled", ACME, ADA, T0.plusSeconds(2)));
    entries.add(sent("m-sent", ACME, ADA, T0.plusSeconds(3)));
    entries.add(sent("complaint-1", ACME, ADA, T0.plusSeconds(4)));
    entries.add(planned("journey:e1", T0.plusSeconds(5)));
    entries.add(sent(OTHER_TENANT, "m-sent", ACME, ADA, T0.plusSeconds(6)));
    for (int i = 0; i < 600; i++) {
      entries.add(sent("bulk-" + i, ACME, ContactId.of("c" + i), T0.plusNanos(i)));
    }

    int written = secondInstance().putAllUnlessSent(entries);

    assertThat(written).isEqualTo(entries.size() - 2);
    assertThat(store.find(TENANT, "m-absent")).contains(entries.get(0));
    assertThat(store.find(TENANT, "m-scheduled")).contains(entries.get(1));
    assertThat(store.find(TENANT, "m-sent")).contains(wasSent);
    assertThat(store.find(TENANT, "complaint-1")).contains(complaint);
    assertThat(store.find(TENANT, "journey:e1")).contains(entries.get(4));
    assertThat(store.putPlanned(planned("journey:e1", T0), 4)).as("plan seq 5 kept").isFalse();
    assertThat(store.find(OTHER_TENANT, "m-sent")).contains(entries.get(5));
    assertThat(store.find(TENANT, "bulk-0")).contains(entries.get(6));
    assertThat(store.find(TENANT, "bulk-599")).contains(entries.get(entries.size() - 1));
    assertThat(store.forContact(TENANT, ContactId.of("c599"), T0, T0.plusNanos(601))).hasSize(1);
    assertThat(store.putAllUnlessSent(entries)).as("all SENT now but the plan").isEqualTo(1);
    assertThat(store.putAllUnlessSent(List.of())).isZero();
  }

  @Test
  void putAllUnlessSentRefusesBadInputsBeforeWritingAny() {
    CalendarEntry first = sent("m-1", ACME, ADA, T0);
    List<CalendarEntry> withNull = new ArrayList<>();
    withNull.add(first);
    withNull.add(null);
    assertRefused(
        List.of(
            new Bad("a null list", "entries", () -> store.putAllUnlessSent(null)),
            new Bad("a null entry", "entries", () -> store.putAllUnlessSent(withNull)),
            new Bad(
                "one id twice",
                "m-1",
                () ->
                    store.putAllUnlessSent(
                        List.of(first, sent("m-1", ACME, ADA, T0.plusSeconds(1)))))));
    assertThat(store.find(TENANT, "m-1")).isEmpty();
    // the same id under two tenants is two entries
    assertThat(store.putAllUnlessSent(List.of(first, sent(OTHER_TENANT, "m-1", ACME, ADA, T0))))
        .isEqualTo(2);
  }

  @Test
  void putIfScheduledReplacesOnlyAScheduledEntryAndKeepsItsPlanSeq() {
    CalendarEntry mail = sent("m-1", ACME, ADA, T0.plusSeconds(9));
    assertThat(store.putIfScheduled(mail)).as("absent").isFalse();
    assertThat(store.find(TENANT, "m-1")).isEmpty();

    store.putPlanned(planned("m-1", T0), 7);
    assertThat(secondInstance().putIfScheduled(mail)).as("over SCHEDULED").isTrue();
    assertThat(store.find(TENANT, "m-1")).contains(mail);
    assertThat(store.putIfScheduled(sent("m-1", ACME, ADA, T0))).as("SENT stays").isFalse();
    assertThat(store.find(TENANT, "m-1")).contains(mail);
    assertThat(store.putPlanned(planned("m-1", T0), 6)).as("SENT, and plan seq 7 kept").isFalse();

    // moved to another time while SCHEDULED (a deferral), and to another account
    store.putPlanned(planned("m-2", T0), 3);
    CalendarEntry later = planned("m-2", T0.plusSeconds(60));
    assertThat(store.putIfScheduled(later)).isTrue();
    assertThat(store.find(TENANT, "m-2")).contains(later);
    assertThat(store.putPlanned(planned("m-2", T0), 2)).as("plan seq 3 kept").isFalse();
    CalendarEntry moved = sent("m-2", AccountId.of("globex"), ADA, T0.plusSeconds(61));
    assertThat(store.putIfScheduled(moved)).isTrue();
    assertThat(store.forAccount(TENANT, ACME, T0.plusSeconds(10), T0.plusSeconds(120))).isEmpty();
    assertThat(store.forAccount(TENANT, AccountId.of("globex"), T0, T0.plusSeconds(120)))
        .containsExactly(moved);

    // a cancelled entry and a complaint are left alone, as is another tenant's
    store.putPlanned(planned("m-3", T0), 1);
    store.cancelPlanned(TENANT, "m-3", 1);
    assertThat(store.putIfScheduled(sent("m-3", ACME, ADA, T0))).isFalse();
    assertThat(store.find(TENANT, "m-3").orElseThrow().status())
        .isEqualTo(CalendarEntry.Status.CANCELLED);
    CalendarEntry complaint = complaint("complaint-1", ADA, T0);
    store.put(complaint);
    assertThat(store.putIfScheduled(sent("complaint-1", ACME, ADA, T0))).isFalse();
    assertThat(store.find(TENANT, "complaint-1")).contains(complaint);
    store.put(planned("m-4", T0));
    assertThat(store.putIfScheduled(sent(OTHER_TENANT, "m-4", ACME, ADA, T0))).isFalse();
    assertThat(store.find(OTHER_TENANT, "m-4")).isEmpty();
    assertThat(store.find(TENANT, "m-4")).contains(planned("m-4", T0));
    assertRefused(List.of(new Bad("a null entry", "entry", () -> store.putIfScheduled(null))));
  }

  private void assertThatNullIsRefused() {
    assertRefused(List.of(new Bad("a null entry", "entry", () -> store.putUnlessSent(null))));
  }

  @Test
  void putUnlessSentFromManyInstancesAtOnceLeavesTheSentEntry() {
    int threads = 6;
    dev.steward.testing.Concurrently.run(
        threads,
        i -> {
          CalendarStore instance = secondInstance();
          for (int k = 0; k < 5; k++) {
            instance.putUnlessSent(
                i == 0 && k == 2
                    ? sent("m-1", ACME, ADA, T0)
                    : planned("m-1", T0.plusSeconds(i * 10 + k)));
          }
          return null;
        });

    assertThat(store.find(TENANT, "m-1")).contains(sent("m-1", ACME, ADA, T0));
  }

  @Test
  void plansRefuseBadInputsNamingTheArgument() {
    List<Bad> cases = new ArrayList<>();
    cases.add(new Bad("a null plan", "entry", () -> store.putPlanned(null, 1)));
    cases.add(
        new Bad(
            "a SENT entry as a plan",
            "SCHEDULED",
            () -> store.putPlanned(sent("m", ACME, ADA, T0), 1)));
    cases.add(
        new Bad(
            "a complaint as a plan",
            "SCHEDULED",
            () -> store.putPlanned(complaint("c", ADA, T0), 1)));
    cases.add(new Bad("a negative seq", "seq", () -> store.putPlanned(planned("p", T0), -1)));
    cases.add(new Bad("a null tenant", "tenant", () -> store.cancelPlanned(null, "p", 1)));
    cases.add(new Bad("a null id", "id", () -> store.cancelPlanned(TENANT, null, 1)));
    cases.add(
        new Bad("a too long id", "id", () -> store.cancelPlanned(TENANT, "x".repeat(201), 1)));
    cases.add(new Bad("a negative cancel seq", "seq", () -> store.cancelPlanned(TENANT, "p", -1)));
    assertRefused(cases);
    assertThat(store.find(TENANT, "p")).isEmpty();
  }

  private static Set<AccountId> nullHolding() {
    Set<AccountId> s = new java.util.HashSet<>();
    s.add(null);
    return s;
  }

  private static CalendarEntry withTeam(String team) {
    return CalendarEntry.of(
        TENANT,
        "m",
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SENT,
        ACME,
        ADA,
        team,
        MessageKind.PROMOTIONAL,
        "offers",
        Channel.EMAIL,
        null,
        T0);
  }

  private static CalendarEntry withCampaign(String campaign) {
    return CalendarEntry.of(
        TENANT,
        "m",
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SENT,
        ACME,
        ADA,
        "csm",
        MessageKind.PROMOTIONAL,
        "offers",
        Channel.EMAIL,
        campaign,
        T0);
  }
}
