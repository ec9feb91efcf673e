package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of every {@link CalendarStore} (TCK). */
public abstract class CalendarStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00.000000001Z");
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
    return new CalendarEntry(
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
    return new CalendarEntry(
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
        new CalendarEntry(
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

    assertThat(store.find("webinar-1")).contains(webinar);
    assertThat(store.find("m-1")).contains(mail);
    assertThat(secondInstance().find("complaint-1")).contains(complaint);
    assertThat(store.find("absent")).isEmpty();
  }

  @Test
  void putReplacesTheEntryWithTheSameId() {
    store.put(sent("m-1", ACME, ADA, T0));
    CalendarEntry moved =
        new CalendarEntry(
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

    assertThat(store.find("m-1")).contains(moved);
    assertThat(store.forContact(ADA, Instant.MIN, Instant.MAX)).isEmpty();
    assertThat(store.forAccount(ACME, Instant.MIN, Instant.MAX)).isEmpty();
    assertThat(store.forContact(ContactId.of("bob"), T0, T0.plusSeconds(61)))
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

    assertThat(ids(store.forAccount(ACME, T0, T0.plusSeconds(20))))
        .containsExactly("at-from", "middle", "a-same-time", "b-same-time");
    assertThat(store.forAccount(ACME, T0.plusSeconds(20), T0.plusSeconds(20))).isEmpty();
    assertThat(ids(store.forAccount(ACME, Instant.MIN, Instant.MAX))).hasSize(6);
  }

  @Test
  void forContactLeavesOutAccountWideEntriesAndOtherContacts() {
    store.put(sent("mine", ACME, ADA, T0));
    store.put(complaint("my-complaint", ADA, T0.plusSeconds(1)));
    store.put(sent("account-wide", ACME, null, T0));
    store.put(sent("bobs", ACME, ContactId.of("bob"), T0));

    assertThat(ids(store.forContact(ADA, T0, T0.plusSeconds(60))))
        .containsExactly("mine", "my-complaint");
  }

  @Test
  void eraseContactDeletesOnlyThatContactsEntries() {
    store.put(sent("mine", ACME, ADA, T0));
    store.put(complaint("my-complaint", ADA, T0));
    store.put(sent("account-wide", ACME, null, T0));
    store.put(sent("bobs", ACME, ContactId.of("bob"), T0));

    assertThat(store.eraseContact(ADA)).isEqualTo(2);
    assertThat(store.eraseContact(ADA)).isZero();
    assertThat(ids(store.forAccount(ACME, Instant.MIN, Instant.MAX)))
        .containsExactlyInAnyOrder("account-wide", "bobs");
  }
}
