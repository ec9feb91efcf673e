package dev.steward.governance;

import java.time.Instant;

/**
 * The buckets of one metrics key in memory: a ring of hourly and a ring of daily counters, reused
 * as time moves on, so that a key takes a fixed amount of memory (about 3 KB) however many events
 * it counts. A new bucket takes a free slot, or else the slot of the oldest bucket: a bucket dated
 * ahead (a skewed or forged event time) holds one slot and evicts nothing while the ring has room.
 * An event older than every bucket of a full ring counts in no bucket of that granularity. Guarded
 * by its own monitor.
 */
final class Buckets {
  static final int HOURS = 36;
  static final int DAYS = 10;
  private static final int C = Counter.all().length;

  private final long[] hourIds = new long[HOURS];
  private final long[] hours = new long[HOURS * C];
  private final long[] dayIds = new long[DAYS];
  private final long[] days = new long[DAYS * C];

  Buckets() {
    java.util.Arrays.fill(hourIds, Long.MIN_VALUE);
    java.util.Arrays.fill(dayIds, Long.MIN_VALUE);
  }

  synchronized void add(long hour, long day, int counter, boolean inactive) {
    bump(hourIds, hours, HOURS, hour, counter, inactive);
    bump(dayIds, days, DAYS, day, counter, inactive);
  }

  private static void bump(
      long[] ids, long[] counts, int slots, long index, int counter, boolean inactive) {
    int slot = slotOf(ids, slots, index);
    if (slot < 0) {
      return; // older than every bucket kept, and none is free
    }
    if (ids[slot] != index) {
      ids[slot] = index;
      java.util.Arrays.fill(counts, slot * C, slot * C + C, 0L);
    }
    counts[slot * C + counter]++;
    if (inactive) {
      counts[slot * C + Counter.SENT_TO_INACTIVE.ordinal()]++;
    }
  }

  /**
   * The slot holding {@code index}, taking one for it if none does: its own slot in the ring when
   * free, else any free slot, else the slot of the oldest bucket if that is older. A bucket is
   * never given up for a newer one while a slot is free, so one event dated far ahead takes a slot
   * of its own and evicts nothing; only more distinct buckets than the ring has push out the
   * oldest. -1 when {@code index} is older than every bucket of a full ring. The caller claims the
   * slot.
   */
  private static int slotOf(long[] ids, int slots, long index) {
    int own = (int) Math.floorMod(index, (long) slots);
    if (ids[own] == index) {
      return own;
    }
    int free = ids[own] == Long.MIN_VALUE ? own : -1;
    int oldest = own;
    for (int slot = 0; slot < slots; slot++) {
      long id = ids[slot];
      if (id == index) {
        return slot;
      }
      if (id == Long.MIN_VALUE) {
        free = free < 0 ? slot : free;
      } else if (id < ids[oldest] || ids[oldest] == Long.MIN_VALUE) {
        oldest = slot;
      }
    }
    if (free >= 0) {
      return free;
    }
    return ids[oldest] < index ? oldest : -1;
  }

  /** Adds the buckets starting in {@code [from, to)} to {@code sum}. */
  synchronized void sum(Granularity g, Instant from, Instant to, long[] sum) {
    long[] ids = g == Granularity.HOUR ? hourIds : dayIds;
    long[] counts = g == Granularity.HOUR ? hours : days;
    long first = g.ceilIndex(from);
    long end = g.ceilIndex(to);
    for (int slot = 0; slot < ids.length; slot++) {
      long id = ids[slot];
      if (id != Long.MIN_VALUE && id >= first && id < end) {
        for (int c = 0; c < C; c++) {
          sum[c] += counts[slot * C + c];
        }
      }
    }
  }

  /** Clears at most {@code max} buckets starting before {@code cutoff}; how many. */
  synchronized int purge(Granularity g, Instant cutoff, int max) {
    long[] ids = g == Granularity.HOUR ? hourIds : dayIds;
    long end = g.ceilIndex(cutoff);
    int n = 0;
    for (int slot = 0; slot < ids.length && n < max; slot++) {
      if (ids[slot] != Long.MIN_VALUE && ids[slot] < end) {
        ids[slot] = Long.MIN_VALUE;
        n++;
      }
    }
    return n;
  }

  synchronized int size() {
    int n = 0;
    for (long id : hourIds) {
      n += id == Long.MIN_VALUE ? 0 : 1;
    }
    for (long id : dayIds) {
      n += id == Long.MIN_VALUE ? 0 : 1;
    }
    return n;
  }
}
