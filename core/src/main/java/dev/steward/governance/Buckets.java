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
 * <p>Both rings live in one array, each slot's id beside its counts: counting an event touches one
 * object and the two slots it counts in (a cache line or two each), which matters when events
 * arrive for thousands of tenants in turn (the store is bound by memory latency there, not by
 * arithmetic). Not thread-safe: the owner guards it.
 */
final class Buckets {
  static final int HOURS = 36;
  static final int DAYS = 10;
  private static final int C = Counter.all().length;
  private static final long EMPTY_ID = Long.MIN_VALUE; // no bucket index is that far back
  private static final int SLOT = 1 + C; // a slot: its bucket's id, then its counts
  private static final int HOUR_RING = 0;
  private static final int DAY_RING = HOUR_RING + HOURS * SLOT;
  private static final int LENGTH = DAY_RING + DAYS * SLOT;

  /** The slots of both rings: each a bucket id (its index, or {@code EMPTY_ID}), then counts. */
  private final long[] a = new long[LENGTH];

  Buckets() {
    for (int at = 0; at < LENGTH; at += SLOT) {
      a[at] = EMPTY_ID;
    }
  }

  void add(long hour, long day, int counter, boolean inactive) {
    bump(HOUR_RING, HOURS, hour, counter, inactive);
    bump(DAY_RING, DAYS, day, counter, inactive);
  }

  private void bump(int ring, int slots, long index, int counter, boolean inactive) {
    int slot = slotOf(ring, slots, index);
    if (slot < 0) {
      return; // older than every bucket kept, and none is free
    }
    int at = ring + slot * SLOT;
    if (a[at] != index) {
      a[at] = index;
      Arrays.fill(a, at + 1, at + SLOT, 0L);
    }
    a[at + 1 + counter]++;
    if (inactive) {
      a[at + 1 + Counter.SENT_TO_INACTIVE.ordinal()]++;
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
  private int slotOf(int ring, int slots, long index) {
    int own = (int) Math.floorMod(index, (long) slots);
    long ownId = a[ring + own * SLOT];
    if (ownId == index) {
      return own;
    }
    int free = ownId == EMPTY_ID ? own : -1;
    int oldest = own;
    for (int slot = 0; slot < slots; slot++) {
      long s = a[ring + slot * SLOT];
      long old = a[ring + oldest * SLOT];
      if (s == index) {
        return slot;
      }
      if (s == EMPTY_ID) {
        free = free < 0 ? slot : free;
      } else if (old == EMPTY_ID || s < old) {
        oldest = slot;
      }
    }
    if (free >= 0) {
      return free;
    }
    return a[ring + oldest * SLOT] < index ? oldest : -1;
  }

  /** Adds the buckets starting in {@code [from, to)} to {@code sum}. */
  void sum(Granularity g, Instant from, Instant to, long[] sum) {
    int ring = g == Granularity.HOUR ? HOUR_RING : DAY_RING;
    int slots = g == Granularity.HOUR ? HOURS : DAYS;
    long first = g.ceilIndex(from);
    long end = g.ceilIndex(to);
    for (int slot = 0; slot < slots; slot++) {
      int at = ring + slot * SLOT;
      long id = a[at];
      if (id != EMPTY_ID && id >= first && id < end) {
        for (int c = 0; c < C; c++) {
          sum[c] += a[at + 1 + c];
        }
      }
    }
  }

  /** Clears at most {@code max} buckets starting before {@code cutoff}; how many. */
  int purge(Granularity g, Instant cutoff, int max) {
    int ring = g == Granularity.HOUR ? HOUR_RING : DAY_RING;
    int slots = g == Granularity.HOUR ? HOURS : DAYS;
    long end = g.ceilIndex(cutoff);
    int n = 0;
    for (int slot = 0; slot < slots && n < max; slot++) {
      int at = ring + slot * SLOT;
      if (a[at] != EMPTY_ID && a[at] < end) {
        a[at] = EMPTY_ID;
        n++;
      }
    }
    return n;
  }

  /** How many buckets hold counts. */
  int size() {
    int n = 0;
    for (int at = 0; at < LENGTH; at += SLOT) {
      n += a[at] == EMPTY_ID ? 0 : 1;
    }
    return n;
  }
}
