package dev.steward.governance;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event ids already counted by the in-memory metrics store, per tenant and event id as the JDBC
 * store keeps them: a replay of an event id counts nothing whatever time it carries, until its mark
 * is purged by the time of the event first counted ({@link #purgeBefore}, as {@link
 * GovernanceRetention} does), and {@link #erase} forgets a tenant's marks at once, leaving a
 * tombstone when asked: the tenant's events dated at or before it are refused until it is purged
 * like a mark, by its time. Each tenant has an open-addressing table of 64-bit hashes of its event
 * ids with the UTC day of each, guarded by its own monitor; no allocation per event beyond a
 * table's growth. Two event ids of one tenant with the same 64-bit hash would count once: about one
 * chance in 10^7 among a million marks.
 */
final class EventMarks {
  private final ConcurrentHashMap<TenantId, Table> tenants = new ConcurrentHashMap<>();

  /**
   * Marks the tenant's event, of {@code day}, at {@code at}; true if it was not marked before and
   * no tombstone of the tenant covers {@code at}.
   */
  boolean mark(TenantId tenant, String eventId, long day, Instant at) {
    long h = hash(eventId);
    while (true) {
      Table t = tenants.get(tenant);
      if (t == null) {
        t = tenants.computeIfAbsent(tenant, k -> new Table());
      }
      synchronized (t) {
        if (!t.dropped) {
          return !t.covers(at) && t.add(h, day);
        }
      }
      // purged empty or erased meanwhile: mark in the tenant's new table
    }
  }

  /** True if a tombstone of the tenant covers {@code at}: nothing of that time may be recorded. */
  boolean erased(TenantId tenant, Instant at) {
    Table t = tenants.get(tenant);
    if (t == null) {
      return false;
    }
    synchronized (t) {
      return t.covers(at);
    }
  }

  /**
   * Forgets the marks of events of days before {@code cutoff}'s (whole days: the marks of the day
   * that holds the cutoff stay), and tombstones dated before {@code cutoff}; how many marks.
   */
  int purgeBefore(Instant cutoff) {
    long cutoffDay = Granularity.DAY.index(cutoff);
    int n = 0;
    for (var e : tenants.entrySet()) {
      Table t = e.getValue();
      synchronized (t) {
        n += t.removeBefore(cutoffDay);
        if (t.erasedAt != null && t.erasedAt.isBefore(cutoff)) {
          t.erasedAt = null;
        }
        if (t.size() == 0 && t.erasedAt == null && tenants.remove(e.getKey(), t)) {
          t.dropped = true;
        }
      }
    }
    return n;
  }

  /** Forgets every mark of the tenant; how many. */
  int erase(TenantId tenant) {
    Table t = tenants.remove(tenant);
    if (t == null) {
      return 0;
    }
    synchronized (t) {
      t.dropped = true;
      return t.size();
    }
  }

  /**
   * Forgets every mark of the tenant and keeps a tombstone dated {@code erasedAt} (the later one if
   * it had one); how many marks.
   */
  int erase(TenantId tenant, Instant erasedAt) {
    int[] n = {0};
    tenants.compute(
        tenant,
        (k, old) -> {
          Table fresh = new Table();
          fresh.erasedAt = erasedAt;
          if (old != null) {
            synchronized (old) {
              old.dropped = true;
              n[0] = old.size();
              if (old.erasedAt != null && old.erasedAt.isAfter(erasedAt)) {
                fresh.erasedAt = old.erasedAt;
              }
            }
          }
          return fresh;
        });
    return n[0];
  }

  /** FNV-1a over the event id, then MurmurHash3's finaliser; never 0. */
  static long hash(String eventId) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < eventId.length(); i++) {
      h = (h ^ eventId.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  /**
   * An open-addressing map of non-zero longs to the day of the first mark, grown at half full. Not
   * thread-safe.
   */
  static final class Table {
    private long[] keys = new long[16];
    private long[] days = new long[16];
    private int size;
    private boolean dropped; // removed from the map: a mark must go to the tenant's next table
    private Instant erasedAt; // the tenant's tombstone, if it has one

    boolean covers(Instant at) {
      return erasedAt != null && !at.isAfter(erasedAt);
    }

    /** Adds {@code key} of {@code day}; false (the first day kept) if it was there. */
    boolean add(long key, long day) {
      if (size * 2 >= keys.length) {
        rehash(keys.length * 2);
      }
      int mask = keys.length - 1;
      int i = (int) (key ^ (key >>> 32)) & mask;
      while (true) {
        long k = keys[i];
        if (k == 0) {
          keys[i] = key;
          days[i] = day;
          size++;
          return true;
        }
        if (k == key) {
          return false;
        }
        i = (i + 1) & mask;
      }
    }

    int size() {
      return size;
    }

    /** Removes the keys of days before {@code cutoffDay}; how many. */
    int removeBefore(long cutoffDay) {
      int removed = 0;
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] != 0 && days[i] < cutoffDay) {
          keys[i] = 0;
          removed++;
        }
      }
      if (removed > 0) {
        size -= removed;
        // reinsert the rest: open addressing cannot leave holes in a probe sequence
        int capacity = 16;
        while (size * 2 >= capacity) {
          capacity *= 2;
        }
        rehash(capacity);
      }
      return removed;
    }

    private void rehash(int capacity) {
      long[] oldKeys = keys;
      long[] oldDays = days;
      keys = new long[capacity];
      days = new long[capacity];
      size = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != 0) {
          add(oldKeys[i], oldDays[i]);
        }
      }
    }
  }
}
