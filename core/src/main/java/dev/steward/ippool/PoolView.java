package dev.steward.ippool;

import dev.steward.governance.PoolStanding;
import dev.steward.governance.WindowReading;
import java.util.List;

/**
 * What a strategy sees of one pool for one tenant: the pool's own standing (every tenant's mail
 * through it) and the tenant's readings through it ({@code MetricsKey.of(tenant, pool)}), so that
 * the tenants raising a pool's rates can be told from the others.
 *
 * @param pool the pool
 * @param standing the pool's own standing
 * @param tenantReadings the tenant's readings through the pool, over governance's windows
 */
public record PoolView(PoolName pool, PoolStanding standing, List<WindowReading> tenantReadings) {
  public PoolView {
    InvalidIpPoolException.requireNonNull(pool, "pool view pool");
    InvalidIpPoolException.requireNonNull(standing, "pool view standing");
    tenantReadings =
        List.copyOf(InvalidIpPoolException.requireNonNull(tenantReadings, "pool view readings"));
    if (!standing.pool().equals(pool.value())) {
      throw new InvalidIpPoolException(
          "the view of pool " + pool + " holds the standing of pool " + standing.pool());
    }
  }
}
