package dev.steward.governance;

/**
 * The event ids already counted by the in-memory metrics store, as the JDBC store keeps them: a
 * 64-bit hash of each of a tenant's event ids with the UTC day of the event first counted, so that
 * a replay counts nothing whatever time it carries until its mark is purged by that day. Two event
 * ids of one tenant with the same 64-bit hash would count once: about one chance in 10^7 among a
 * million marks. {@link TenantCounts} holds one {@link Table} per tenant under its monitor.
 */
final class EventMarks {
  private EventMarks() {}

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
   * An open-addressing map of non-zero longs to the day of the first mark, grown at half full, each
   * key beside its day in one array: adding a mark of a tenant not touched lately then costs one
   * cache miss, not one in the keys and another in the days. It starts with room for 32 marks (1
   * KB, beside a tenant's 3.7 KB of buckets): a tenant that sends at all soon has that many events,
   * and growing from a smaller table copies it again for each doubling. Not thread-safe.
   */
  static final class Table {
    private static final int INITIAL_CAPACITY = 64;
    private long[] slots = new long[INITIAL_CAPACITY * 2]; // key, day, key, day, ...
    private int size;

    /** Adds {@code key} of {@code day}; false (the first day kept) if it was there. */
    boolean add(long key, long day) {
      if (size >= capacity() / 2) {
        rehash(capacity() * 2);
      }
      int mask = capacity() - 1;
      int i = (int) (key ^ (key >>> 32)) & mask;
      while (true) {
        long k = slots[2 * i];
        if (k == 0) {
          slots[2 * i] = key;
          slots[2 * i + 1] = day;
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

    private int capacity() {
      return slots.length / 2;
    }

    /** Removes the keys of days before {@code cutoffDay}; how many. */
    int removeBefore(long cutoffDay) {
      int removed = 0;
      for (int i = 0; i < slots.length; i += 2) {
        if (slots[i] != 0 && slots[i + 1] < cutoffDay) {
          slots[i] = 0;
          removed++;
        }
      }
      if (removed > 0) {
        size -= removed;
        // reinsert the rest: open addressing cannot leave holes in a probe sequence
        int capacity = INITIAL_CAPACITY;
        while (size * 2 >= capacity) {
          capacity *= 2;
        }
        rehash(capacity);
      }
      return removed;
    }

    private void rehash(int capacity) {
      long[] old = slots;
      slots = new long[capacity * 2];
      size = 0;
      for (int i = 0; i < old.length; i += 2) {
        if (old[i] != 0) {
          add(old[i], old[i + 1]);
        }
      }
    }
  }
}
