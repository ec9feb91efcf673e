package dev.steward.calendar;

import dev.steward.calendar.internal.CalendarChecks;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.HashSet;
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

  /**
   * Adds the entry, or replaces the tenant's entry of that id unless that one is SENT (a complaint
   * is always SENT), as one row-level write that takes no scope lock: how the calendar records what
   * the send pipeline already decided, which no rule checks. A plain {@link #put} leaves the plan
   * seq of {@link #putPlanned} as it is, and so does this.
   *
   * <p>The default, for other stores, writes under an {@link #update} of the entry's account and
   * contact (and those of the entry as it stands); Steward's stores override it.
   *
   * @return true if the entry was written; false if a SENT entry of that id stays
   * @throws InvalidCalendarException if {@code entry} is null (nothing written)
   */
  default boolean putUnlessSent(CalendarEntry entry) {
    CalendarChecks.notNull(entry, "entry");
    for (int attempt = 0; attempt < 100; attempt++) {
      Optional<CalendarEntry> seen = find(entry.tenant(), entry.id());
      Set<AccountId> accounts = new HashSet<>(Set.of(entry.account()));
      Set<ContactId> contacts = new HashSet<>();
      entry.contact().ifPresent(contacts::add);
      seen.ifPresent(
          s -> {
            accounts.add(s.account());
            s.contact().ifPresent(contacts::add);
          });
      Optional<Boolean> done =
          update(
              entry.tenant(),
              accounts,
              contacts,
              view -> {
                Optional<CalendarEntry> now = view.find(entry.id());
                if (!now.map(CalendarEntry::account).equals(seen.map(CalendarEntry::account))
                    || !now.flatMap(CalendarEntry::contact)
                        .equals(seen.flatMap(CalendarEntry::contact))) {
                  return CalendarChange.unchanged(Optional.empty()); // moved: lock again
                }
                if (now.isPresent() && now.get().status() == CalendarEntry.Status.SENT) {
                  return CalendarChange.unchanged(Optional.of(false));
                }
                return CalendarChange.write(Optional.of(true), entry);
              });
      if (done.isPresent()) {
        return done.get();
      }
    }
    throw new IllegalStateException(
        "calendar entry '" + entry.id() + "' kept moving between accounts while being recorded");
  }

  /**
   * Stores each entry as {@link #putUnlessSent} does, as few writes as the store can make (the
   * records of a batch of sends): how many were written. Each entry stands alone: one whose id
   * holds a SENT entry is not written, the others are.
   *
   * <p>The default, for other stores, calls {@link #putUnlessSent} for each; Steward's JDBC store
   * writes them with one statement per few hundred on PostgreSQL.
   *
   * @return the number of entries written
   * @throws InvalidCalendarException if the list or an entry is null, or two entries have the same
   *     tenant and id (nothing written)
   */
  default int putAllUnlessSent(List<CalendarEntry> entries) {
    CalendarChecks.distinct(entries);
    int written = 0;
    for (CalendarEntry e : entries) {
      written += putUnlessSent(e) ? 1 : 0;
    }
    return written;
  }

  /**
   * Replaces the tenant's SCHEDULED entry of {@code entry}'s id by {@code entry}, as one row-level
   * write that takes no scope lock: how the calendar moves a scheduled message to what the send
   * pipeline made of it (sent, or deferred to a new time). An entry that does not exist, or is not
   * SCHEDULED, is left alone and nothing is written; the plan seq of {@link #putPlanned} stays as
   * it is. Unlike a read followed by {@link #putUnlessSent}, nothing is written when the entry
   * stopped being SCHEDULED in between.
   *
   * <p>The default, for other stores, writes under an {@link #update} of the entry's account and
   * contact and those of the entry as it stands; Steward's stores override it. Inside a unit of
   * work of Steward's JDBC store the write is kept and made, with the unit's others, just before
   * the unit commits; the answer is then false.
   *
   * @return true if the entry was written
   * @throws InvalidCalendarException if {@code entry} is null (nothing written)
   */
  default boolean putIfScheduled(CalendarEntry entry) {
    CalendarChecks.notNull(entry, "entry");
    for (int attempt = 0; attempt < 100; attempt++) {
      Optional<CalendarEntry> seen = find(entry.tenant(), entry.id());
      if (seen.isEmpty() || seen.get().status() != CalendarEntry.Status.SCHEDULED) {
        return false;
      }
      Set<AccountId> accounts = new HashSet<>();
      accounts.add(entry.account());
      accounts.add(seen.get().account());
      Set<ContactId> contacts = new HashSet<>();
      entry.contact().ifPresent(contacts::add);
      seen.get().contact().ifPresent(contacts::add);
      Optional<Boolean> done =
          update(
              entry.tenant(),
              accounts,
              contacts,
              view -> {
                Optional<CalendarEntry> now = view.find(entry.id());
                if (now.isEmpty() || now.get().status() != CalendarEntry.Status.SCHEDULED) {
                  return CalendarChange.unchanged(Optional.of(false));
                }
                if (!now.get().account().equals(seen.get().account())
                    || !now.get().contact().equals(seen.get().contact())) {
                  return CalendarChange.unchanged(Optional.empty()); // moved: lock again
                }
                return CalendarChange.write(Optional.of(true), entry);
              });
      if (done.isPresent()) {
        return done.get();
      }
    }
    throw new IllegalStateException(
        "calendar entry '" + entry.id() + "' kept moving between accounts while being replaced");
  }

  /**
   * Writes a SCHEDULED communication that follows a plan kept elsewhere (a journey's next send),
   * version {@code seq} of that plan, as one row-level write that takes no scope lock: unless the
   * tenant's entry of that id is a complaint or SENT, or was written by a later plan (a greater
   * seq), or by the same seq and equals {@code entry}. An older plan written late so never
   * overwrites a later one, and writing a plan that is already stored changes nothing. A plain
   * {@link #put} or {@link #update} leaves the stored seq as it is.
   *
   * <p>No lock means that an {@link #update} over the entry's account or contact running at the
   * same moment may not see it: the plan is informational, and whoever acts on it (the journey's
   * send) checks the rules again when it acts.
   *
   * <p>The default, for stores that keep no seq, writes under an {@link #update} of the entry's
   * account and contact and compares the entry only (no seq guard); Steward's stores override it.
   *
   * @return true if the entry was written
   * @throws InvalidCalendarException if {@code entry} is null or no SCHEDULED communication, or
   *     {@code seq} is negative (nothing written)
   */
  default boolean putPlanned(CalendarEntry entry, long seq) {
    CalendarEntry e = CalendarChecks.planned(entry, seq);
    Set<ContactId> contacts = e.contact().map(Set::of).orElse(Set.of());
    for (int attempt = 0; attempt < 100; attempt++) {
      Optional<CalendarEntry> seen = find(e.tenant(), e.id());
      Set<AccountId> accounts = new HashSet<>(Set.of(e.account()));
      Set<ContactId> scopes = new HashSet<>(contacts);
      seen.ifPresent(
          s -> {
            accounts.add(s.account());
            s.contact().ifPresent(scopes::add);
          });
      Optional<Boolean> done =
          update(
              e.tenant(),
              accounts,
              scopes,
              view -> {
                Optional<CalendarEntry> now = view.find(e.id());
                if (!now.map(CalendarEntry::account).equals(seen.map(CalendarEntry::account))
                    || !now.flatMap(CalendarEntry::contact)
                        .equals(seen.flatMap(CalendarEntry::contact))) {
                  return CalendarChange.unchanged(Optional.empty()); // moved: lock again
                }
                if (now.isPresent()
                    && (now.get().type() == CalendarEntry.Type.COMPLAINT
                        || now.get().status() == CalendarEntry.Status.SENT
                        || now.get().equals(e))) {
                  return CalendarChange.unchanged(Optional.of(false));
                }
                return CalendarChange.write(Optional.of(true), e);
              });
      if (done.isPresent()) {
        return done.get();
      }
    }
    throw new IllegalStateException(
        "calendar entry '" + e.id() + "' kept moving between accounts while being planned");
  }

  /**
   * Cancels the tenant's SCHEDULED communication of this id for version {@code seq} of its plan, as
   * one row-level write that takes no scope lock (see {@link #putPlanned}): unless it was written
   * by a later plan (a greater seq). An entry that does not exist, is already cancelled, SENT, or a
   * complaint is left alone and nothing is written.
   *
   * <p>The default, for stores that keep no seq, cancels under an {@link #update} of the entry's
   * account and contact (no seq guard); Steward's stores override it.
   *
   * @return true if an entry was cancelled
   * @throws InvalidCalendarException if {@code tenant} or {@code id} is null, the id is no storable
   *     id, or {@code seq} is negative (nothing written)
   */
  default boolean cancelPlanned(TenantId tenant, String id, long seq) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.id(id);
    CalendarChecks.seq(seq);
    for (int attempt = 0; attempt < 100; attempt++) {
      Optional<CalendarEntry> seen = find(tenant, id);
      if (seen.isEmpty()
          || seen.get().type() != CalendarEntry.Type.COMMUNICATION
          || seen.get().status() != CalendarEntry.Status.SCHEDULED) {
        return false;
      }
      CalendarEntry s = seen.get();
      Optional<Boolean> done =
          update(
              tenant,
              Set.of(s.account()),
              s.contact().map(Set::of).orElse(Set.of()),
              view -> {
                Optional<CalendarEntry> now = view.find(id);
                if (now.isEmpty() || now.get().status() != CalendarEntry.Status.SCHEDULED) {
                  return CalendarChange.unchanged(Optional.of(false));
                }
                CalendarEntry n = now.get();
                if (!n.account().equals(s.account()) || !n.contact().equals(s.contact())) {
                  return CalendarChange.unchanged(Optional.empty()); // moved: lock again
                }
                return CalendarChange.write(
                    Optional.of(true),
                    new CalendarEntry(
                        n.tenant(),
                        n.id(),
                        n.type(),
                        CalendarEntry.Status.CANCELLED,
                        n.account(),
                        n.contact(),
                        n.team(),
                        n.kind(),
                        n.category(),
                        n.channel(),
                        n.campaign(),
                        n.at()));
              });
      if (done.isPresent()) {
        return done.get();
      }
    }
    throw new IllegalStateException(
        "calendar entry '" + id + "' kept moving between accounts while being cancelled");
  }

  /**
   * Erases the plan-following communication {@code written} that version {@code seq} of its plan
   * wrote ({@link #putPlanned}), as one row-level write that takes no scope lock: for a plan whose
   * subject was erased after the plan was read, so that neither the entry nor its seq outlives the
   * erasure. Only that write goes: the stored entry must equal {@code written} and still be seq's
   * plan. An entry written since (by a later plan, by a plan of the same seq with other values,
   * such as one of an enrolment made again under the same id, by a cancel or a send), or none, is
   * left alone.
   *
   * <p>The default, for stores that keep no seq and cannot erase one entry, cancels the entry under
   * an {@link #update} of its account and contact if it still equals {@code written}; Steward's
   * stores override it.
   *
   * @return true if the entry was erased (or, by the default, cancelled)
   * @throws InvalidCalendarException if {@code written} is null or no SCHEDULED communication with
   *     a storable id, or {@code seq} is negative (nothing written)
   */
  default boolean erasePlanned(CalendarEntry written, long seq) {
    CalendarChecks.planned(written, seq);
    return update(
        written.tenant(),
        Set.of(written.account()),
        written.contact().map(Set::of).orElse(Set.of()),
        view -> {
          if (!view.find(written.id()).filter(written::equals).isPresent()) {
            return CalendarChange.unchanged(false);
          }
          CalendarEntry cancelled =
              new CalendarEntry(
                  written.tenant(),
                  written.id(),
                  written.type(),
                  CalendarEntry.Status.CANCELLED,
                  written.account(),
                  written.contact(),
                  written.team(),
                  written.kind(),
                  written.category(),
                  written.channel(),
                  written.campaign(),
                  written.at());
          return CalendarChange.write(true, cancelled);
        });
  }

  /**
   * Deletes the tenant's entry of this id if it names {@code contact}, whatever its status (SENT
   * too): the erasure of one record of a contact written after the contact's erasure, when the
   * contact has been put back since and its other entries are not the erased one's. An entry of
   * another contact, or none, is left alone. Idempotent.
   *
   * <p>The default, for stores that cannot delete one entry, throws {@link
   * UnsupportedOperationException}; Steward's stores override it.
   *
   * @return true if an entry was deleted
   * @throws InvalidCalendarException if an argument is null or the id is no storable id (nothing
   *     written)
   */
  default boolean eraseEntry(TenantId tenant, ContactId contact, String id) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.notNull(contact, "contact");
    CalendarChecks.id(id);
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot erase the single calendar entry " + id);
  }

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
