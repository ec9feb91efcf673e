package dev.steward.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The default {@link CalendarStore#putPlanned}, {@link CalendarStore#cancelPlanned} and {@link
 * CalendarStore#putUnlessSent}, for a store that implements only the interface's abstract methods:
 * they write under the store's {@link CalendarStore#update} lock, never undo a SENT entry or a
 * complaint, write nothing when nothing changes, and refuse bad input as the stores do. (They keep
 * no plan seq; Steward's own stores, which do, are held to the contract's seq rules.)
 */
class CalendarStoreDefaultsTest {
  static final TenantId TENANT = TenantId.of("isv-tenant");
  static final AccountId ACME = AccountId.of("acme");
  static final ContactId ADA = ContactId.of("ada");
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  /** Only the abstract methods, forwarded; counts the updates (the locks taken). */
  static final class LockOnly implements CalendarStore {
    final InMemoryCalendarStore inner = InMemoryCalendarStore.of();
    final AtomicInteger updates = new AtomicInteger();

    @Override
    public void put(CalendarEntry entry) {
      inner.put(entry);
    }

    @Override
    public Optional<CalendarEntry> find(TenantId tenant, String id) {
      return inner.find(tenant, id);
    }

    @Override
    public List<CalendarEntry> forAccount(
        TenantId tenant, AccountId account, Instant from, Instant to) {
      return inner.forAccount(tenant, account, from, to);
    }

    @Override
    public List<CalendarEntry> forContact(
        TenantId tenant, ContactId contact, Instant from, Instant to) {
      return inner.forContact(tenant, contact, from, to);
    }

    @Override
    public int eraseContact(TenantId tenant, ContactId contact) {
      return inner.eraseContact(tenant, contact);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return inner.eraseTenant(tenant);
    }

    @Override
    public <R> R update(
        TenantId tenant,
        Set<AccountId> accounts,
        Set<ContactId> contacts,
        Function<LockedView, CalendarChange<R>> change) {
      updates.incrementAndGet();
      return inner.update(tenant, accounts, contacts, change);
    }
  }

  static CalendarEntry entry(String id, CalendarEntry.Status status, Instant at) {
    return CalendarEntry.of(
        TENANT,
        id,
        CalendarEntry.Type.COMMUNICATION,
        status,
        ACME,
        ADA,
        "csm",
        MessageKind.RELATIONSHIP,
        "renewal",
        Channel.EMAIL,
        "renewal/report",
        at);
  }

  @Test
  void aDefaultPlanIsWrittenUnderTheLockAndNotAgainWhenItStandsSo() {
    LockOnly store = new LockOnly();
    CalendarEntry plan = entry("journey:e1", CalendarEntry.Status.SCHEDULED, T0);

    assertThat(store.putPlanned(plan, 1)).isTrue();
    assertThat(store.updates).hasValue(1);
    assertThat(store.find(TENANT, "journey:e1")).contains(plan);
    assertThat(store.putPlanned(plan, 2)).as("as it stands").isFalse();
    CalendarEntry later = entry("journey:e1", CalendarEntry.Status.SCHEDULED, T0.plusSeconds(9));
    assertThat(store.putPlanned(later, 3)).isTrue();
    assertThat(store.find(TENANT, "journey:e1")).contains(later);

    assertThat(store.cancelPlanned(TENANT, "journey:e1", 4)).isTrue();
    assertThat(store.find(TENANT, "journey:e1").orElseThrow().status())
        .isEqualTo(CalendarEntry.Status.CANCELLED);
    int before = store.updates.get();
    assertThat(store.cancelPlanned(TENANT, "journey:e1", 5)).as("cancelled already").isFalse();
    assertThat(store.cancelPlanned(TENANT, "journey:none", 5)).as("missing").isFalse();
    assertThat(store.updates).as("no lock taken to write nothing").hasValue(before);
    assertThat(store.find(TENANT, "journey:none")).isEmpty();
  }

  @Test
  void theDefaultErasureOfAPlanCancelsOnlyTheEntryAsItWasWritten() {
    LockOnly store = new LockOnly();
    CalendarEntry plan = entry("journey:e1", CalendarEntry.Status.SCHEDULED, T0);
    assertThat(store.putPlanned(plan, 1)).isTrue();
    CalendarEntry other = entry("journey:e1", CalendarEntry.Status.SCHEDULED, T0.plusSeconds(9));
    assertThat(store.erasePlanned(other, 1)).as("not what is stored").isFalse();
    assertThat(store.find(TENANT, "journey:e1")).contains(plan);

    assertThat(store.erasePlanned(plan, 1)).isTrue();
    assertThat(store.find(TENANT, "journey:e1").orElseThrow().status())
        .isEqualTo(CalendarEntry.Status.CANCELLED);
    assertThat(store.erasePlanned(plan, 1)).as("cancelled already").isFalse();
    assertThatThrownBy(() -> store.erasePlanned(plan, -1))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("seq");
  }

  @Test
  void theDefaultsNeverUndoASentEntryOrAComplaint() {
    LockOnly store = new LockOnly();
    CalendarEntry sent = entry("m-1", CalendarEntry.Status.SENT, T0);
    store.put(sent);

    assertThat(store.putPlanned(entry("m-1", CalendarEntry.Status.SCHEDULED, T0), 1)).isFalse();
    assertThat(store.putUnlessSent(entry("m-1", CalendarEntry.Status.SCHEDULED, T0))).isFalse();
    assertThat(store.cancelPlanned(TENANT, "m-1", 1)).isFalse();
    assertThat(store.find(TENANT, "m-1")).contains(sent);

    CalendarEntry scheduled = entry("m-2", CalendarEntry.Status.SCHEDULED, T0);
    assertThat(store.putUnlessSent(scheduled)).isTrue();
    CalendarEntry sentToo = entry("m-2", CalendarEntry.Status.SENT, T0.plusSeconds(1));
    assertThat(store.putUnlessSent(sentToo)).isTrue();
    assertThat(store.find(TENANT, "m-2")).contains(sentToo);
  }

  @Test
  void theDefaultReplacementOfAScheduledEntryWritesUnderTheLockAndOnlyOverScheduled() {
    LockOnly store = new LockOnly();
    CalendarEntry sent = entry("m-1", CalendarEntry.Status.SENT, T0.plusSeconds(5));
    assertThat(store.putIfScheduled(sent)).as("absent").isFalse();
    assertThat(store.updates).as("no lock taken to write nothing").hasValue(0);
    assertThat(store.find(TENANT, "m-1")).isEmpty();

    store.put(entry("m-1", CalendarEntry.Status.SCHEDULED, T0));
    assertThat(store.putIfScheduled(sent)).isTrue();
    assertThat(store.updates).hasValue(1);
    assertThat(store.find(TENANT, "m-1")).contains(sent);
    assertThat(store.putIfScheduled(entry("m-1", CalendarEntry.Status.SCHEDULED, T0))).isFalse();
    assertThat(store.find(TENANT, "m-1")).contains(sent);
    assertThatThrownBy(() -> store.putIfScheduled(null))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("entry");
  }

  @Test
  void theDefaultSetBasedRecordWritesEachAsPutUnlessSentAndRefusesOneIdTwice() {
    LockOnly store = new LockOnly();
    CalendarEntry sent = entry("m-1", CalendarEntry.Status.SENT, T0);
    store.put(sent);
    CalendarEntry other = entry("m-2", CalendarEntry.Status.SENT, T0.plusSeconds(1));
    assertThat(
            store.putAllUnlessSent(
                List.of(entry("m-1", CalendarEntry.Status.SENT, T0.plusSeconds(2)), other)))
        .isEqualTo(1);
    assertThat(store.find(TENANT, "m-1")).contains(sent);
    assertThat(store.find(TENANT, "m-2")).contains(other);
    CalendarEntry third = entry("m-3", CalendarEntry.Status.SENT, T0);
    assertThatThrownBy(() -> store.putAllUnlessSent(List.of(third, third)))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("m-3");
    assertThat(store.find(TENANT, "m-3")).isEmpty();
  }

  @Test
  void theDefaultsRefuseBadInputNamingTheArgument() {
    LockOnly store = new LockOnly();
    assertThatThrownBy(() -> store.putPlanned(null, 1))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("entry");
    assertThatThrownBy(() -> store.putPlanned(entry("p", CalendarEntry.Status.SCHEDULED, T0), -1))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("seq");
    assertThatThrownBy(() -> store.putPlanned(entry("p", CalendarEntry.Status.SENT, T0), 1))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("SCHEDULED");
    assertThatThrownBy(() -> store.cancelPlanned(TENANT, null, 1))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("id");
    assertThatThrownBy(() -> store.putUnlessSent(null))
        .isInstanceOf(InvalidCalendarException.class)
        .hasMessageContaining("entry");
    assertThat(store.updates).hasValue(0);
    assertThat(store.find(TENANT, "p")).isEmpty();
  }
}
