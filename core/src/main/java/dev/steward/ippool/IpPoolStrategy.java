package dev.steward.ippool;

import java.util.List;

/**
 * SPI: where a tenant's streams should send from. Given what is known of one tenant, a strategy
 * proposes the moves that bring its streams to the pools they belong in, each with its reason; an
 * empty list leaves them where they are. A strategy only proposes: a {@link PoolPlanApplier}
 * applies. It must depend on its argument only, so that instances planning at once agree.
 *
 * <p>The built-in one is {@link #tiered(TierConfig)}: warm-up, premium, standard, quarantine and
 * dedicated pools with hysteresis (see {@link TierConfig}).
 */
public interface IpPoolStrategy {

  /** The moves for this tenant's streams; at most one per stream. */
  List<PoolMove> propose(TenantView tenant);

  /** The default tiered strategy over {@code config}. */
  static IpPoolStrategy tiered(TierConfig config) {
    return new TieredStrategy(InvalidIpPoolException.requireNonNull(config, "config"));
  }

  /** The default tiered strategy with the default settings. */
  static IpPoolStrategy tiered() {
    return tiered(TierConfig.ofDefaults());
  }
}
