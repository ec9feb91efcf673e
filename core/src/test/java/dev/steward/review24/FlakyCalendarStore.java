package dev.steward.review24;

import dev.steward.calendar.CalendarChange;
import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarStore;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A calendar store that passes everything to another, except that the next {@code n} calls of the
 * row-level write named by {@link #failNext} throw, as a database that is briefly unreachable does.
 */
final class FlakyCalendarStore implements CalendarStore {
  /** The row-level writes that can be made to fail. */
  enum Op {
    PUT_UNLESS_SENT,
    PUT_PLANNED,
    CANCEL_PLANNED
  }

  private final CalendarStore delegate;
  private volatile Op failing;
  private final AtomicInteger failures = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();

  FlakyCalendarStore(CalendarStore delegate) {
    this.delegate = delegate;
  }

  /** Makes the next {@code n} calls of {@code op} throw. */
  void failNext(Op op, int n) {
    failing = op;
    failures.set(n);
  }

  private void maybeFail(Op op) {
    if (failing == op && failures.getAndDecrement() > 0) {
      failed.incrementAndGet();
      throw new IllegalStateException("calendar store unreachable (" + op + ")");
    }
  }

  @Override
  public void put(CalendarEntry entry) {
    delegate.put(entry);
  }

  @Override
  public Optional<CalendarEntry> find(TenantId tenant, String id) {
    return delegate.find(tenant, id);
  }

  @Override
  public List<CalendarEntry> forAccount(
      TenantId tenant, AccountId account, Instant from, Instant to) {
    return delegate.forAccount(tenant, account, from, to);
  }

  @Override
  public List<CalendarEntry> forContact(
      TenantId tenant, ContactId contact, Instant from, Instant to) {
    return delegate.forContact(tenant, contact, from, to);
  }

  @Override
  public int eraseContact(TenantId tenant, ContactId contact) {
    return delegate.eraseContact(tenant, contact);
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    return delegate.eraseTenant(tenant);
  }

  @Override
  public <R> R update(
      TenantId tenant,
      Set<AccountId> accounts,
      Set<ContactId> contacts,
      Function<LockedView, CalendarChange<R>> change) {
    return delegate.update(tenant, accounts, contacts, change);
  }

  @Override
  public boolean putUnlessSent(CalendarEntry entry) {
    maybeFail(Op.PUT_UNLESS_SENT);
    return delegate.putUnlessSent(entry);
  }

  @Override
  public boolean putPlanned(CalendarEntry entry, long seq) {
    maybeFail(Op.PUT_PLANNED);
    return delegate.putPlanned(entry, seq);
  }

  @Override
  public boolean cancelPlanned(TenantId tenant, String id, long seq) {
    maybeFail(Op.CANCEL_PLANNED);
    return delegate.cancelPlanned(tenant, id, seq);
  }

  @Override
  public boolean eraseEntry(TenantId tenant, ContactId contact, String id) {
    return delegate.eraseEntry(tenant, contact, id);
  }

  @Override
  public boolean erasePlanned(CalendarEntry written, long seq) {
    return delegate.erasePlanned(written, seq);
  }
}
