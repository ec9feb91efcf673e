package dev.steward.ippool;

import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Purges the {@link PoolAssignmentStore}'s erasure tombstones once no plan made before an erasure
 * can still be applied, as recurring work ({@value #KIND}, daily): a tombstone goes {@link
 * #ERASURES_KEPT} after its erasure (an undated one is dated at the first purge that sees it, and
 * goes that long after). Without it the tombstones of erased tenants are kept for good.
 */
public final class PoolErasureRetention {
  /** The kind of the recurring work item. */
  public static final String KIND = "steward.retention.ippool-erasures";

  /**
   * How long a tombstone is kept after its erasure: a plan is applied by the job run that made it,
   * minutes later; thirty days leave a plan held up by an outage of the pool provider ample time to
   * be found stale.
   */
  public static final Duration ERASURES_KEPT = Duration.ofDays(30);

  private final PoolAssignmentStore store;
  private final Clock clock;
  private final Recurring recurring;

  private PoolErasureRetention(PoolAssignmentStore store, Clock clock, Duration every) {
    this.store = store;
    this.clock = clock;
    this.recurring = Recurring.builder(KIND, this::purge).every(every).build();
  }

  /** A daily purge of {@code store} as of {@code clock}. */
  public static PoolErasureRetention of(PoolAssignmentStore store, Clock clock) {
    return of(store, clock, Recurring.DEFAULT_EVERY);
  }

  /** A purge of {@code store} every {@code every}. */
  public static PoolErasureRetention of(PoolAssignmentStore store, Clock clock, Duration every) {
    return new PoolErasureRetention(
        InvalidIpPoolException.requireNonNull(store, "store"),
        InvalidIpPoolException.requireNonNull(clock, "clock"),
        InvalidIpPoolException.requireNonNull(every, "every"));
  }

  /**
   * Purges at most {@code max} tombstones older than {@link #ERASURES_KEPT} as of now; how many.
   * Fewer than {@code max} means none is left.
   */
  public int purge(int max) {
    Instant now = clock.instant();
    return store.purgeErasuresBefore(now.minus(ERASURES_KEPT), now, max);
  }

  /** The recurring work that runs the purge. */
  public Recurring recurring() {
    return recurring;
  }

  /**
   * Adds the recurring purge to {@code runner} and makes sure its item is stored (once, however
   * many instances register); returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    return recurring.register(runner);
  }

  static void check(Instant cutoff, Instant now, int max) {
    InvalidIpPoolException.requireNonNull(cutoff, "cutoff");
    InvalidIpPoolException.requireNonNull(now, "now");
    if (max < 1) {
      throw new InvalidIpPoolException("max must be at least 1, was " + max);
    }
  }
}
