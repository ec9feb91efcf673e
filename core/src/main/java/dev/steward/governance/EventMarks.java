package dev.steward.governance;

import dev.steward.model.TenantId;

/**
 * The event ids already counted by the in-memory metrics store, as 64-bit hashes of tenant and
 * event id in open-addressing sets, one set per UTC day of the events' times in a ring of {@value
 * #DAYS} days, striped for concurrent use. No allocation per event beyond a set's growth. Two
 * different events with the same 64-bit hash would count once: about one chance in 10^7 per day at
 * a million events a day.
 */
final class EventMarks {
  static final int DAYS = 16;
  private static final int STRIPES = 16;

  // read without a lock on the common path (the day is current); rotated under the monitor
  private final java.util.concurrent.atomic.AtomicLongArray dayIds =
      new java.util.concurrent.atomic.AtomicLongArray(DAYS);
  private final LongSet[][] sets = new LongSet[DAYS][STRIPES];

  EventMarks() {
    for (int d = 0; d < DAYS; d++) {
      dayIds.set(d, Long.MIN_VALUE);
    }
    for (int d = 0; d < DAYS; d++) {
      for (int s = 0; s < STRIPES; s++) {
        sets[d][s] = new LongSet();
      }
    }
  }

  /**
   * Marks the event of {@code day}; true if it was not marked before. False too when the day is
   * older than the ring keeps: such an event is too old to count anywhere.
   */
  boolean mark(TenantId tenant, String eventId, long day) {
    long h = hash(tenant.value(), eventId);
    int slot = (int) Math.floorMod(day, (long) DAYS);
    LongSet set = sets[slot][(int) (h >>> 60) & (STRIPES - 1)];
    if (dayIds.get(slot) != day) {
      synchronized (this) {
        long held = dayIds.get(slot);
        if (held > day) {
          return false;
        }
        if (held != day) {
          for (LongSet s : sets[slot]) {
            synchronized (s) {
              s.clear();
            }
          }
          dayIds.set(slot, day);
        }
      }
    }
    synchronized (set) {
      return set.add(h);
    }
  }

  /** Forgets the marks of days that end at or before {@code cutoffDay}'s start; how many marks. */
  synchronized int purgeBefore(long cutoffDay) {
    int n = 0;
    for (int slot = 0; slot < DAYS; slot++) {
      long held = dayIds.get(slot);
      if (held != Long.MIN_VALUE && held < cutoffDay) {
        dayIds.set(slot, Long.MIN_VALUE);
        for (LongSet s : sets[slot]) {
          synchronized (s) {
            n += s.size();
            s.clear();
          }
        }
      }
    }
    return n;
  }

  /** FNV-1a over both strings (with a separator), then MurmurHash3's finaliser. */
  static long hash(String tenant, String eventId) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < tenant.length(); i++) {
      h = (h ^ tenant.charAt(i)) * 0x100000001b3L;
    }
    h = (h ^ 0xFFFF) * 0x100000001b3L;
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

  /** An open-addressing set of non-zero longs, grown at half full. Not thread-safe. */
  static final class LongSet {
    private long[] table = new long[16];
    private int size;

    boolean add(long v) {
      if (size * 2 >= table.length) {
        grow();
      }
      int mask = table.length - 1;
      int i = (int) (v ^ (v >>> 32)) & mask;
      while (true) {
        long t = table[i];
        if (t == 0) {
          table[i] = v;
          size++;
          return true;
        }
        if (t == v) {
          return false;
        }
        i = (i + 1) & mask;
      }
    }

    int size() {
      return size;
    }

    void clear() {
      if (size > 0) {
        table = new long[16];
        size = 0;
      }
    }

    private void grow() {
      long[] old = table;
      table = new long[old.length * 2];
      size = 0;
      for (long v : old) {
        if (v != 0) {
          add(v);
        }
      }
    }
  }
}
