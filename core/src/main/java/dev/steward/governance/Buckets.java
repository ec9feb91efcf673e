package dev.steward.governance;

import java.time.Instant;
import java.util.Arrays;

/**
 * The buckets of one metrics key in memory: a ring of hourly and a ring of daily counters, reused
 * as time moves on, so that a key takes a fixed amount of memory (about 3.7 KB) however many events
 * it counts. A new bucket takes a free slot, or else the slot of the oldest bucket: a bucket dated
 * ahead (a skewed or forged event time) holds one slot and evicts nothing while the ring has room.
 * An event older than every bucket of a full ring counts in no bucket of that granularity.
 *
 * <p>Both rings and their bucket ids live in one array: counting an event touches one object and
 * four of its cache lines, which matters when events arrive for thousands of tenants in turn (the
 * store is bound by memory latency there, not by arithmetic). Not thread-safe: the owner guards it.
 */
final class Buckets {
  static final int HOURS = 36;
  static final int DAYS = 10;
  private static final int C = Counter.all().length;
  private static final long EMPTY_ID = Long.MIN_VALUE; // no bucket index is that far back
  private static final int HOUR_IDS = 0;
  private static final int HOUR_COUNTS = HOUR_IDS + HOURS;
  private static final int DAY_IDS = HOUR_COUNTS + HOURS * C;
  private static final int DAY_COUNTS = DAY_IDS + DAYS;
  private static final int LENGTH = DAY_COUNTS + DAYS * C;

  /** The bucket ids (their index, or {@code EMPTY_ID}) and counts of both rings. */
  private final long[] a = new long[LENGTH];

  Buckets() {
    Arrays.fill(a, HOUR_IDS, HOUR_IDS + HOURS, EMPTY_ID);
    Arrays.fill(a, DAY_IDS, DAY_IDS + DAYS, EMPTY_ID);
  }

  void add(long hour, long day, int counter, boolean inactive) {
    bump(HOUR_IDS, HOUR_COUNTS, HOURS, hour, counter, inactive);
    bump(DAY_IDS, DAY_COUNTS, DAYS, day, counter, inactive);
  }

  private void bump(int ids, int counts, int slots, long index, int counter, boolean inactive) {
    int slot = slotOf(ids, slots, index);
    if (slot < 0) {
      return; // older than every bucket kept, and none is free
    }
    int base = counts + slot * C;
    if (a[ids + slot] != index) {
      a[ids + slot] = index;
      Arrays.fill(a, base, base + C, 0L);
    }
    a[base + counter]++;
    if (inactive) {
      a[base + Counter.SENT_TO_INACTIVE.ordinal()]++;
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
  private int slotOf(int ids, int slots, long index) {
    long id = index;
    int own = (int) Math.floorMod(index, (long) slots);
    long at = a[ids + own];
    if (at == id) {
      return own;
    }
    int free = at == EMPTY_ID ? own : -1;
    int oldest = own;
    for (int slot = 0; slot < slots; slot++) {
      long s = a[ids + slot];
      if (s == id) {
        return slot;
      }
      if (s == EMPTY_ID) {
        free = free < 0 ? slot : free;
      } else if (a[ids + oldest] == EMPTY_ID || s < a[ids + oldest]) {
        oldest = slot;
      }
    }
    if (free >= 0) {
      return free;
    }
    return a[ids + oldest] < id ? oldest : -1;
  }

  /** Adds the buckets starting in {@code [from, to)} to {@code sum}. */
  void sum(Granularity g, Instant from, Instant to, long[] sum) {
    int ids = g == Granularity.HOUR ? HOUR_IDS : DAY_IDS;
    int counts = g == Granularity.HOUR ? HOUR_COUNTS : DAY_COUNTS;
    int slots = g == Granularity.HOUR ? HOURS : DAYS;
    long first = g.ceilIndex(from);
    long end = g.ceilIndex(to);
    for (int slot = 0; slot < slots; slot++) {
      long id = a[ids + slot];
      if (id != EMPTY_ID && id >= first && id < end) {
        for (int c = 0; c < C; c++) {
          sum[c] += a[counts + slot * C + c];
        }
      }
    }
  }

  /** Clears at most {@code max} buckets starting before {@code cutoff}; how many. */
  int purge(Granularity g, Instant cutoff, int max) {
    int ids = g == Granularity.HOUR ? HOUR_IDS : DAY_IDS;
    int slots = g == Granularity.HOUR ? HOURS : DAYS;
    long end = g.ceilIndex(cutoff);
    int n = 0;
    for (int slot = 0; slot < slots && n < max; slot++) {
      if (a[ids + slot] != EMPTY_ID && a[ids + slot] < end) {
        a[ids + slot] = EMPTY_ID;
        n++;
      }
    }
    return n;
  }

  /** How many buckets hold counts. */
  int size() {
    int n = 0;
    for (int slot = 0; slot < HOURS; slot++) {
      n += a[HOUR_IDS + slot] == EMPTY_ID ? 0 : 1;
    }
    for (int slot = 0; slot < DAYS; slot++) {
      n += a[DAY_IDS + slot] == EMPTY_ID ? 0 : 1;
    }
    return n;
  }
}
