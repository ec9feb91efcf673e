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

  /** Each tenant's entries by id: ids are unique within a tenant only. */
  private final Map<TenantId, Map<String, CalendarEntry>> tenants = new HashMap<>();

  @Override
  public synchronized void put(CalendarEntry entry) {
    CalendarChecks.notNull(entry, "entry");
    tenants.computeIfAbsent(entry.tenant(), t -> new HashMap<>()).put(entry.id(), entry);
  }

  /**
   * Each tenant's plan sequence numbers by entry id (see {@link #putPlanned}); an entry's goes when
   * the entry is erased.
   */
  private final Map<TenantId, Map<String, Long>> planSeqs = new HashMap<>();

  @Override
  public synchronized boolean putUnlessSent(CalendarEntry entry) {
    CalendarChecks.notNull(entry, "entry");
    CalendarEntry current = entries(entry.tenant()).get(entry.id());
    if (current != null && current.status() == CalendarEntry.Status.SENT) {
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
    CalendarEntry current = entries(entry.tenant()).get(entry.id());
    if (current == null || current.status() != CalendarEntry.Status.SCHEDULED) {
      return false;
    }
    put(entry);
    return true;
  }

  @Override
  public synchronized boolean putPlanned(CalendarEntry entry, long seq) {
    CalendarChecks.planned(entry, seq);
    CalendarEntry current = entries(entry.tenant()).get(entry.id());
    Long stored = planSeqs.getOrDefault(entry.tenant(), Map.of()).get(entry.id());
    if (current != null
        && (current.type() == CalendarEntry.Type.COMPLAINT
            || current.status() == CalendarEntry.Status.SENT)) {
      return false;
    }
    if (stored != null && (stored > seq || (stored == seq && entry.equals(current)))) {
      return false;
    }
    put(entry);
    planSeqs.computeIfAbsent(entry.tenant(), t -> new HashMap<>()).put(entry.id(), seq);
    return true;
  }

  @Override
  public synchronized boolean cancelPlanned(TenantId tenant, String id, long seq) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.id(id);
    CalendarChecks.seq(seq);
    CalendarEntry current = entries(tenant).get(id);
    Long stored = planSeqs.getOrDefault(tenant, Map.of()).get(id);
    if (current == null
        || current.type() != CalendarEntry.Type.COMMUNICATION
        || current.status() != CalendarEntry.Status.SCHEDULED
        || (stored != null && stored > seq)) {
      return false;
    }
    put(
        new CalendarEntry(
            current.tenant(),
            current.id(),
            current.type(),
            CalendarEntry.Status.CANCELLED,
            current.account(),
            current.contact(),
            current.team(),
            current.kind(),
            current.category(),
            current.channel(),
            current.campaign(),
            current.at()));
    planSeqs.computeIfAbsent(tenant, t -> new HashMap<>()).put(id, seq);
    return true;
  }

  @Override
  public synchronized boolean erasePlanned(CalendarEntry written, long seq) {
    CalendarChecks.planned(written, seq);
    TenantId tenant = written.tenant();
    Long stored = planSeqs.getOrDefault(tenant, Map.of()).get(written.id());
    if (stored == null || stored != seq || !written.equals(entries(tenant).get(written.id()))) {
      return false; // not the entry seq's plan wrote: another write came since
    }
    entries(tenant).remove(written.id());
    planSeqs.getOrDefault(tenant, new HashMap<>()).remove(written.id());
    return true;
  }

  @Override
  public synchronized boolean eraseEntry(TenantId tenant, ContactId contact, String id) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.notNull(contact, "contact");
    CalendarChecks.id(id);
    CalendarEntry current = entries(tenant).get(id);
    if (current == null || !current.contact().filter(contact::equals).isPresent()) {
      return false;
    }
    entries(tenant).remove(id);
    planSeqs.getOrDefault(tenant, new HashMap<>()).remove(id);
    return true;
  }

  @Override
  public synchronized Optional<CalendarEntry> find(TenantId tenant, String id) {
    CalendarChecks.notNull(tenant, "tenant");
    CalendarChecks.id(id);
    return Optional.ofNullable(entries(tenant).get(id));
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
    Map<String, CalendarEntry> entries = tenants.get(tenant);
    if (entries == null) {
      return 0;
    }
    int before = entries.size();
    Map<String, Long> seqs = planSeqs.getOrDefault(tenant, new HashMap<>());
    entries
        .values()
        .removeIf(
            e -> {
              boolean theirs = e.contact().filter(contact::equals).isPresent();
              if (theirs) {
                seqs.remove(e.id());
              }
              return theirs;
            });
    return before - entries.size();
  }

  @Override
  public synchronized int eraseTenant(TenantId tenant) {
    CalendarChecks.notNull(tenant, "tenant");
    planSeqs.remove(tenant);
    Map<String, CalendarEntry> removed = tenants.remove(tenant);
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

  private Map<String, CalendarEntry> entries(TenantId tenant) {
    return tenants.getOrDefault(tenant, Map.of());
  }

  private synchronized List<CalendarEntry> select(
      TenantId tenant, Predicate<CalendarEntry> who, Instant from, Instant to) {
    return entries(tenant).values().stream()
        .filter(who)
        .filter(e -> !e.at().isBefore(from) && e.at().isBefore(to))
        .sorted(BY_TIME)
        .toList();
  }
}
