package dev.steward.ippool;

/** The tiers of the default strategy, from the tenant's first mail to its own IPs. */
public enum Tier {
  /** New tenants, while onboarding's pilot lasts: IPs whose reputation new mail cannot hurt. */
  WARMUP,
  /**
   * The first shared pool built: good, high-volume senders only, so its IPs' reputation is made by
   * them (pools are seeded with good senders first).
   */
  PREMIUM,
  /** The standard shared pool: graduated tenants that do not (yet) qualify for premium. */
  STANDARD,
  /** Repeat bad senders, away from the shared pools they would damage. */
  QUARANTINE,
  /** A tenant's own pool, once its sustained volume and clean record justify it. */
  DEDICATED;

  /** True for the pools many tenants share and whose reputation the strategy protects. */
  public boolean isShared() {
    return this == PREMIUM || this == STANDARD;
  }
}
