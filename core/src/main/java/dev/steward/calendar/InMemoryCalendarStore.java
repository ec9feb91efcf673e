package dev.steward.calendar;

import dev.steward.calendar.internal.CalendarChecks;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A {@link CalendarStore} in memory, for one process and for tests. Thread-safe: one monitor guards
 * everything, so an {@link #update} holds every scope of every tenant while its change runs.
 */
public final class InMemoryCalendarStore implements CalendarStore {

  private InMemoryCalendarStore() {}

  /** An empty store. */
  public static InMemoryCalendarStore of() {
    return new InMemoryCalendarStore();
  }

  private static final Comparator<CalendarEntry> BY_TIME =
      Comparator.comparing(CalendarEntry::at).thenComparing(CalendarEntry::id);

  /**
   * Each tenant's entries by id (ids are unique within a tenant only): a {@link CalendarEntry}, or
   * a {@link Planned} for one written by a plan (see {@link #putPlanned}), which holds its plan's
   * sequence number beside it. One map instead of a second one of the seqs (memstep): a plan's
   * write finds the entry and its seq in one lookup, and only one map grows with the entries.
   */
  private final Map<TenantId, Map<String, Object>> tenants = new HashMap<>();

  /**
   * An entry with the sequence number of the last plan that wrote or cancelled it; changed in place
   * (under the store's lock) when the entry is written again, so a plan's write allocates nothing
   * but its entry. A plan's cancel only marks it {@code cancelled} (memstep): the CANCELLED entry
   * is made from the SCHEDULED one when it is first read ({@link #entryOf}), and a journey's entry
   * cancelled when its step sends and planned again (or never read) never needs one.
   */
  private static final class Planned {
    CalendarEntry entry;
    long seq;

    /** Whether the entry stands CANCELLED, {@link #entry} being it as it was SCHEDULED. */
    boolean cancelled;

    Planned(CalendarEntry entry, long seq, boolean cancelled) {
      this.entry = entry;
      this.seq = seq;
      this.cancelled = cancelled;
    }

    /** This, holding {@code written} now (a write other than a plan's keeps the seq). */
    Planned holding(CalendarEntry written) {
      entry = written;
      cancelled = false;
      return this;
    }
  }

  /** The entry stored, as it stands (a cancelled plan's made now, once); null for none. */
  private static CalendarEntry entryOf(Object stored) {
    if (stored instanceof Planned p) {
      if (p.cancelled) {
        p.entry = p.entry.with(CalendarEntry.Status.CANCELLED, p.entry.at());
        p.cancelled = false;
      }
      return p.entry;
    }
    return (CalendarEntry) stored;
  }

  /**
   * The entry stored, or a cancelled plan's as it was SCHEDULED: for what a cancel does not change
   * (its id, type, account and contact). Null for none.
   */
  private static CalendarEntry raw(Object stored) {
    return stored instanceof Planned p ? p.entry : (CalendarEntry) stored;
  }

  /** The status of the entry stored, which must not be null. */
  private static CalendarEntry.Status statusOf(Object stored) {
    return stored instanceof Planned p && p.cancelled
        ? CalendarEntry.Status.CANCELLED
        : raw(stored).status();
  }

  /** The seq of the last plan that wrote the entry stored; {@link #NO_SEQ} when none did. */
  private static long seqOf(Object stored) {
    return stored instanceof Planned p ? p.seq : NO_SEQ;
  }

  /** No plan wrote the entry: every plan's seq is at least 0 ({@link CalendarChecks#seq}). */
  private static final long NO_SEQ = -1;

  @Override
  public synchronized void put(CalendarEntry entry) {
    CalendarChecks.notNull(entry, "entry");
    Map<String, Object> entries = tenants.computeIfAbsent(entry.tenant(), t -> new HashMap<>());
    // a write other than a plan's keeps the seq of the plan that last wrote the entry, if any
    entries.merge(
        entry.id(), entry, (was, e) -> was instanceof Planned p ? p.holding((CalendarEntry) e) : e);
  }

  /** Stores {@code entry} as written by the plan of {@code seq}, {@code was} what was stored. */
  private static void storePlanned(
      Map<String, Object> entries, Object was, CalendarEntry entry, long seq) {
    if (was instanceof Planned p) {
      p.entry = entry;
      p.seq = seq;
      p.cancelled = false;
    } else {
      entries.put(entry.id(), new Planned(entry, seq, false));
    }
  }

  @Override
  public synchronized boolean putUnlessSent(CalendarEntry entry) {
    CalendarChecks.notNull(entry, "entry");
    Object current = entries(entry.tenant()).get(entry.id());
    if (current != null && statusOf(current) == CalendarEntry.Status.SENT) {
      return false;
    }
    put(entry);
    return true;
  }

  @Override
  public synchronized int putAllUnlessSent(List<CalendarEntry> entries) {
    CalendarChecks.distinct(entries);
    int written = 0;
    for (CalendarEntry e : entries) {
      written += putUnlessSent(e) ? 1 : 0;
    }
    return written;
  }

  @Override
  public synchronized boolean putIfScheduled(CalendarEntry entry) {
    CalendarChecks.notNull(entry, "entry");
    Object current = entries(entry.tenant()).get(entry.id());
    if (current == null || statusOf(current) != CalendarEntry.Status.SCHEDULED) {
      return false;
    }
    put(entry);
    return true;
  }

  /**
   * Whether the tenant's entry of this id is SCHEDULED: {@link #putIfScheduled} writes nothing
   * otherwise, so a caller that asks first need not make the entry ({@link
   * CommunicationCalendar#recordIfScheduled}).
   */
  synchronized boolean holdsScheduled(TenantId tenant, String id) {
    Object current = entries(tenant).get(id);
    return current != null && statusOf(current) == CalendarEntry.Status.SCHEDULED;
  }

  @Override
  public synchronized boolean putPlanned(CalendarEntry entry, long seq) {
    CalendarChecks.planned(entry, seq);
    Map<String, Object> entries = tenants.computeIfAbsent(entry.tenant(), t -> new HashMap<>());
    Object was = entries.get(entry.id());
    CalendarEntry.Status status = was == null ? null : statusOf(was);
    long stored = seqOf(was);
    if (was != null
        && (raw(was).type() == CalendarEntry.Type.COMPLAINT
            || status == CalendarEntry.Status.SENT)) {
      return false;
    }
    // the planned entry is SCHEDULED, so it equals the one stored only if that is SCHEDULED too
    if (stored != NO_SEQ
        && (stored > seq
            || (stored == seq
                && status == CalendarEntry.Status.SCHEDULED
                && entry.equals(raw(was))))) {
      return false;
    }
    storePlanned(entries, was, entry, seq);
    return true;
  }

  @Override
  public synchronized boolean cancelPlanned(TenantId tenant, String id, long seq) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.id(id);
    CalendarChecks.seq(seq);
    Map<String, Object> entries = tenants.get(tenant);
    Object was = entries == null ? null : entries.get(id);
    long stored = seqOf(was);
    if (was == null
        || raw(was).type() != CalendarEntry.Type.COMMUNICATION
        || statusOf(was) != CalendarEntry.Status.SCHEDULED
        || stored > seq) {
      return false;
    }
    if (was instanceof Planned p) {
      p.seq = seq;
      p.cancelled = true;
    } else {
      entries.put(id, new Planned((CalendarEntry) was, seq, true));
    }
    return true;
  }

  @Override
  public synchronized boolean erasePlanned(CalendarEntry written, long seq) {
    CalendarChecks.planned(written, seq);
    Object was = entries(written.tenant()).get(written.id());
    long stored = seqOf(was);
    // written is SCHEDULED: a cancelled entry is another write
    if (stored == NO_SEQ
        || stored != seq
        || statusOf(was) != CalendarEntry.Status.SCHEDULED
        || !written.equals(raw(was))) {
      return false; // not the entry seq's plan wrote: another write came since
    }
    entries(written.tenant()).remove(written.id());
    return true;
  }

  @Override
  public synchronized boolean eraseEntry(TenantId tenant, ContactId contact, String id) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.notNull(contact, "contact");
    CalendarChecks.id(id);
    CalendarEntry current = raw(entries(tenant).get(id));
    if (current == null || !current.contact().filter(contact::equals).isPresent()) {
      return false;
    }
    entries(tenant).remove(id);
    return true;
  }

  @Override
  public synchronized Optional<CalendarEntry> find(TenantId tenant, String id) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.id(id);
    return Optional.ofNullable(find(entries(tenant), id));
  }

  @Override
  public List<CalendarEntry> forAccount(
      TenantId tenant, AccountId account, Instant from, Instant to) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.notNull(account, "account");
    CalendarChecks.range(from, to);
    return select(tenant, e -> e.account().equals(account), from, to);
  }

  @Override
  public List<CalendarEntry> forContact(
      TenantId tenant, ContactId contact, Instant from, Instant to) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.notNull(contact, "contact");
    CalendarChecks.range(from, to);
    return select(tenant, e -> e.contact().filter(contact::equals).isPresent(), from, to);
  }

  @Override
  public synchronized int eraseContact(TenantId tenant, ContactId contact) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.notNull(contact, "contact");
    Map<String, Object> entries = tenants.get(tenant);
    if (entries == null) {
      return 0;
    }
    int before = entries.size();
    entries.values().removeIf(e -> raw(e).contact().filter(contact::equals).isPresent());
    return before - entries.size();
  }

  @Override
  public synchronized int eraseTenant(TenantId tenant) {
    CalendarChecks.notNull(tenant, "tenant");
    Map<String, Object> removed = tenants.remove(tenant);
    return removed == null ? 0 : removed.size();
  }

  @Override
  public synchronized <R> R update(
      TenantId tenant,
      Set<AccountId> accounts,
      Set<ContactId> contacts,
      Function<LockedView, CalendarChange<R>> change) {
    CalendarChecks.update(tenant, accounts, contacts, change);
    LockedView view =
        new LockedView() {
          @Override
          public Optional<CalendarEntry> find(String id) {
            return InMemoryCalendarStore.this.find(tenant, id);
          }

          @Override
          public List<CalendarEntry> forAccount(AccountId account, Instant from, Instant to) {
            return InMemoryCalendarStore.this.forAccount(tenant, account, from, to);
          }

          @Override
          public List<CalendarEntry> forContact(ContactId contact, Instant from, Instant to) {
            return InMemoryCalendarStore.this.forContact(tenant, contact, from, to);
          }
        };
    CalendarChange<R> answer =
        CalendarChecks.change(change.apply(view), tenant, accounts, contacts);
    answer.write().ifPresent(this::put);
    return answer.result();
  }

  private Map<String, Object> entries(TenantId tenant) {
    return tenants.getOrDefault(tenant, Map.of());
  }

  /** The entry of this id among a tenant's; null if there is none. */
  private static CalendarEntry find(Map<String, Object> entries, String id) {
    Object stored = entries.get(id);
    return stored == null ? null : entryOf(stored);
  }

  private synchronized List<CalendarEntry> select(
      TenantId tenant, Predicate<CalendarEntry> who, Instant from, Instant to) {
    return entries(tenant).values().stream()
        .map(InMemoryCalendarStore::entryOf)
        .filter(who)
        .filter(e -> !e.at().isBefore(from) && e.at().isBefore(to))
        .sorted(BY_TIME)
        .toList();
  }
}
