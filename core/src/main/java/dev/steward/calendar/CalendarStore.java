package dev.steward.calendar;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Store of calendar entries, queried by account or contact over a time range. Everything is scoped
 * by tenant: an entry is keyed by its tenant and id, and the same account or contact id under two
 * tenants is two different subjects that no read, write or erasure ever mixes. Every implementation
 * refuses the same bad arguments the same way, with an {@link InvalidCalendarException} naming the
 * argument, before anything is read or written: a null argument, an id no store can hold, an update
 * that names no account or contact (or a null one), and a change that answers null or writes an
 * entry of another tenant or of an unlocked scope.
 *
 * <p>{@link #update} is how the calendar schedules without two conflicting entries both passing its
 * checks: implementations make it atomic across threads and, for shared databases, across
 * instances. The calendar's rules stay in {@link CommunicationCalendar}; a store only locks, reads
 * and writes.
 */
public interface CalendarStore {

  /** Adds the entry, or replaces the one of the same tenant with the same id. */
  void put(CalendarEntry entry);

  /** The tenant's entry with this id. */
  Optional<CalendarEntry> find(TenantId tenant, String id);

  /** The entries of the tenant's account with {@code from <= at < to}, in time order. */
  List<CalendarEntry> forAccount(TenantId tenant, AccountId account, Instant from, Instant to);

  /** The entries of the tenant's contact with {@code from <= at < to}, in time order. */
  List<CalendarEntry> forContact(TenantId tenant, ContactId contact, Instant from, Instant to);

  /** Deletes every entry of the tenant's contact (erasure); the number deleted. Idempotent. */
  int eraseContact(TenantId tenant, ContactId contact);

  /** Deletes everything the store holds for the tenant; the number of entries deleted. */
  int eraseTenant(TenantId tenant);

  /**
   * Locks the tenant's calendar of {@code accounts} and {@code contacts} (the scopes) against every
   * other update that locks any of the same scopes, in this instance and in every other that shares
   * the store; passes {@code change} a view that reads the store under the lock; writes the entry
   * the change answers, if any; releases the locks and returns the change's result. The entry
   * written must be the tenant's, and its account and contact (if any) among the scopes locked. If
   * {@code change} throws, nothing is written and the exception propagates.
   *
   * <p>Two updates whose scopes overlap run one after the other, each reading what the other wrote:
   * a check that reads only the locked accounts' and contacts' entries and then writes holds across
   * instances. Reads of other accounts or contacts through the view see committed entries that may
   * change meanwhile. Implementations lock in a fixed global order, so updates over overlapping
   * scopes never deadlock. {@code change} may run more than once (a database transaction undone by
   * the database is run again whole), so it must have no effect but its answer.
   */
  <R> R update(
      TenantId tenant,
      Set<AccountId> accounts,
      Set<ContactId> contacts,
      Function<LockedView, CalendarChange<R>> change);

  /** What an {@link #update} reads under its lock: the entries of the update's tenant only. */
  interface LockedView {
    /** The tenant's entry with this id. */
    Optional<CalendarEntry> find(String id);

    /** The entries of the tenant's account with {@code from <= at < to}, in time order. */
    List<CalendarEntry> forAccount(AccountId account, Instant from, Instant to);

    /** The entries of the tenant's contact with {@code from <= at < to}, in time order. */
    List<CalendarEntry> forContact(ContactId contact, Instant from, Instant to);
  }
}
