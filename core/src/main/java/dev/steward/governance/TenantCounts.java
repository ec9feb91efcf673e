package dev.steward.governance;

import dev.steward.model.EmailAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One tenant's share of the in-memory metrics store, under one monitor: the marks of its event ids,
 * its buckets (all its mail, and per pool), its recipients' activity and its tombstone. Keeping
 * them in one object means counting an event finds its tenant once, and marks and counts change
 * together: an erasure never meets an event marked but not yet counted.
 */
final class TenantCounts {
  /** What {@link #count} did. */
  enum Outcome {
    COUNTED,
    /** A repeat of an event id, or an event dated at or before the tenant's tombstone. */
    NOT_COUNTED,
    /** This object was taken out of the store meanwhile: count in the tenant's next one. */
    DROPPED
  }

  private final EventMarks.Table marks = new EventMarks.Table();
  private final Buckets all = new Buckets();
  private Map<String, Buckets> byPool; // null until the tenant sends through a named pool
  private RecipientTable activity; // null until a recipient is touched
  // the tenant's tombstone, if it has one; volatile so that an erasure can read it without the
  // monitor (inside the store map's compute, where taking the monitor could deadlock with a purge)
  private volatile Instant erasedAt;
  private boolean dropped;

  TenantCounts() {}

  TenantCounts(Instant erasedAt) {
    this.erasedAt = erasedAt;
  }

  synchronized Outcome count(
      long mark, long hour, long day, int counter, boolean inactive, Instant at, String pool) {
    if (dropped) {
      return Outcome.DROPPED;
    }
    if (covers(at) || !marks.add(mark, day)) {
      return Outcome.NOT_COUNTED;
    }
    all.add(hour, day, counter, inactive);
    if (pool != null) {
      if (byPool == null) {
        byPool = new HashMap<>();
      }
      byPool.computeIfAbsent(pool, p -> new Buckets()).add(hour, day, counter, inactive);
    }
    return Outcome.COUNTED;
  }

  /** Records a touch of a recipient; false if this object was dropped meanwhile. */
  synchronized boolean touch(ActivityTouch t) {
    if (dropped) {
      return false;
    }
    if (covers(t.at())) {
      return true; // an erased tenant's recipient, from before its erasure
    }
    if (activity == null) {
      activity = new RecipientTable();
    }
    activity.touch(t.address(), t.engaged(), t.at());
    return true;
  }

  synchronized RecipientActivity activityOf(EmailAddress address) {
    // a dropped object (erased, or emptied by a purge) stands for an empty one: what it still
    // holds was erased, and a reader that found it just before must not see it
    return activity == null || dropped ? null : activity.get(address);
  }

  /** Whether mail sent at {@code at} goes to an inactive address (see {@link RecipientTable}). */
  synchronized boolean inactiveAt(EmailAddress address, Instant at, Duration period) {
    return activity != null && !dropped && activity.inactiveAt(address, at, period);
  }

  synchronized boolean eraseAddress(EmailAddress address) {
    return activity != null && activity.remove(address);
  }

  /** Adds the buckets of the tenant (or of its pool) starting in {@code [from, to)} to sum. */
  synchronized void sum(
      Optional<String> pool, Granularity g, Instant from, Instant to, long[] sum) {
    Buckets b = pool.isEmpty() ? all : byPool == null ? null : byPool.get(pool.get());
    if (b != null) {
      b.sum(g, from, to, sum);
    }
  }

  synchronized int purge(Granularity g, Instant cutoff, int max) {
    int n = all.purge(g, cutoff, max);
    if (byPool != null) {
      for (Buckets b : byPool.values()) {
        n += b.purge(g, cutoff, max - n);
      }
    }
    return n;
  }

  /**
   * Forgets the marks of days before {@code cutoffDay} and a tombstone dated before {@code cutoff};
   * how many marks. True in {@code emptied[0]} when nothing at all is left, so the store may drop
   * this object (which is then marked dropped).
   */
  synchronized int purgeMarks(long cutoffDay, Instant cutoff, boolean[] emptied) {
    int n = marks.removeBefore(cutoffDay);
    if (erasedAt != null && erasedAt.isBefore(cutoff)) {
      erasedAt = null;
    }
    emptied[0] = marks.size() == 0 && erasedAt == null && isEmpty();
    return n;
  }

  private boolean isEmpty() {
    if (all.size() > 0 || (activity != null && activity.size() > 0)) {
      return false;
    }
    if (byPool != null) {
      for (Buckets b : byPool.values()) {
        if (b.size() > 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** Marks this object dropped (taken out of the store); how many buckets it held. */
  synchronized int drop() {
    dropped = true;
    int n = all.size();
    if (byPool != null) {
      for (Buckets b : byPool.values()) {
        n += b.size();
      }
    }
    return n;
  }

  Instant erasedAt() {
    return erasedAt;
  }

  synchronized boolean covers(Instant at) {
    return erasedAt != null && !at.isAfter(erasedAt);
  }
}
