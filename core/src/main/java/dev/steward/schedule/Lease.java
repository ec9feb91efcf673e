package dev.steward.schedule;

/**
 * A runner's hold on one claimed item. The token is new for every claim, so a runner whose lease
 * lapsed and was taken over can no longer complete, renew or release the item: its late answer
 * changes nothing (fencing).
 *
 * @param key the item held
 * @param owner the runner that holds it
 * @param token this claim's token
 */
public record Lease(WorkKey key, String owner, long token) {
  /**
   * The longest lease: a claim is renewed while its work runs, so a long lease only hides a crash.
   */
  public static final java.time.Duration MAX_DURATION = Checks.MAX_LEASE;

  /** Checks a lease's length as every store does; returns it. */
  public static java.time.Duration checkDuration(java.time.Duration lease) {
    return Checks.lease(lease);
  }

  public Lease {
    Checks.notNull(key, "key");
    Checks.notNull(owner, "owner");
  }
}
