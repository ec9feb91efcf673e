package dev.steward.health;

import static dev.steward.health.InvalidHealthInputException.requireNonNull;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** An {@link EngagementStore} in memory, for one process and for tests. Thread-safe. */
public final class InMemoryEngagementStore implements EngagementStore {

  private InMemoryEngagementStore() {}

  /** An empty store. */
  public static InMemoryEngagementStore of() {
    return new InMemoryEngagementStore();
  }

  private final ConcurrentMap<TenantAccount, AccountEvents> accounts = new ConcurrentHashMap<>();

  @Override
  public int record(Collection<EngagementEvent> events) {
    requireNonNull(events, "engagement events");
    List<EngagementEvent> checked = new ArrayList<>(events.size());
    for (EngagementEvent e : events) {
      checked.add(requireNonNull(e, "engagement event"));
    }
    int added = 0;
    for (EngagementEvent e : checked) {
      if (accounts
          .computeIfAbsent(new TenantAccount(e.tenant(), e.account()), k -> new AccountEvents())
          .add(e)) {
        added++;
      }
    }
    return added;
  }

  @Override
  public List<EngagementEvent> events(
      TenantId tenant, AccountId account, Instant after, Instant upTo) {
    TenantAccount key = TenantAccount.of(tenant, account);
    requireNonNull(after, "after");
    requireNonNull(upTo, "upTo");
    AccountEvents a = accounts.get(key);
    return a == null || !after.isBefore(upTo) ? List.of() : a.between(after, upTo);
  }

  @Override
  public int purgeBefore(Instant cutoff, int max) {
    requireNonNull(cutoff, "cutoff");
    if (max < 0) {
      throw new InvalidHealthInputException("max must not be negative, got " + max);
    }
    int removed = 0;
    for (Map.Entry<TenantAccount, AccountEvents> e : accounts.entrySet()) {
      if (removed == max) {
        break;
      }
      removed += e.getValue().removeBefore(cutoff, max - removed);
    }
    return removed;
  }

  @Override
  public boolean erase(TenantId tenant, AccountId account) {
    AccountEvents gone = accounts.remove(TenantAccount.of(tenant, account));
    return gone != null && gone.size() > 0;
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    requireNonNull(tenant, "tenant");
    int removed = 0;
    for (TenantAccount key : List.copyOf(accounts.keySet())) {
      if (key.tenant().equals(tenant)) {
        AccountEvents gone = accounts.remove(key);
        removed += gone == null ? 0 : gone.size();
      }
    }
    return removed;
  }

  /** One account's events by id and in time order. */
  private static final class AccountEvents {
    private final Map<String, EngagementEvent> byId = new HashMap<>();
    private final TreeMap<TimeKey, EngagementEvent> byTime = new TreeMap<>();

    synchronized boolean add(EngagementEvent e) {
      if (byId.putIfAbsent(e.eventId(), e) != null) {
        return false;
      }
      byTime.put(new TimeKey(e.at(), e.eventId()), e);
      return true;
    }

    synchronized List<EngagementEvent> between(Instant after, Instant upTo) {
      return List.copyOf(
          byTime.subMap(TimeKey.last(after), false, TimeKey.last(upTo), false).values());
    }

    synchronized int removeBefore(Instant cutoff, int max) {
      Iterator<EngagementEvent> old =
          byTime.headMap(TimeKey.first(cutoff), false).values().iterator();
      int n = 0;
      while (n < max && old.hasNext()) {
        byId.remove(old.next().eventId());
        old.remove();
        n++;
      }
      return n;
    }

    synchronized int size() {
      return byId.size();
    }
  }

  /**
   * Orders events by time, then id; a null id sorts after every id at its instant, and the empty id
   * (no event has it) before every one.
   */
  private record TimeKey(Instant at, String id) implements Comparable<TimeKey> {
    /** A bound after every event at {@code at}. */
    static TimeKey last(Instant at) {
      return new TimeKey(at, null);
    }

    /** A bound before every event at {@code at}. */
    static TimeKey first(Instant at) {
      return new TimeKey(at, "");
    }

    @Override
    public int compareTo(TimeKey o) {
      int c = at.compareTo(o.at);
      if (c != 0) {
        return c;
      }
      if (id == null || o.id == null) {
        return id == null ? (o.id == null ? 0 : 1) : -1;
      }
      return id.compareTo(o.id);
    }
  }
}
