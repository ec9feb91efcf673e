package dev.steward.governance;

import java.time.Instant;

/**
 * The buckets of one metrics key in memory: a ring of hourly and a ring of daily counters, reused
 * as time moves on, so that a key takes a fixed amount of memory (about 3 KB) however many events
 * it counts. A bucket older than its ring is overwritten by a newer one; an event for such a bucket
 * counts in no bucket of that granularity. Guarded by its own monitor.
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
    int slot = (int) Math.floorMod(index, (long) slots);
    long held = ids[slot];
    if (held != index) {
      if (held > index) {
        return; // older than the ring keeps
      }
      ids[slot] = index;
      java.util.Arrays.fill(counts, slot * C, slot * C + C, 0L);
    }
    counts[slot * C + counter]++;
    if (inactive) {
      counts[slot * C + Counter.SENT_TO_INACTIVE.ordinal()]++;
    }
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
