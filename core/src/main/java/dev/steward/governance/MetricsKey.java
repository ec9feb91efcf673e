package dev.steward.governance;

import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.util.Optional;

/**
 * Whose metrics: a tenant's (all its mail), a pool's (every tenant's mail through it), or a
 * tenant's mail through one pool.
 *
 * @param tenant the tenant, or empty for a pool's metrics over all its tenants
 * @param pool the IP pool, or empty for the tenant's mail through every pool
 */
public record MetricsKey(Optional<TenantId> tenant, Optional<String> pool) {
  /** The longest pool name. */
  public static final int MAX_POOL_LENGTH = 100;

  public MetricsKey {
    InvalidGovernanceException.requireNonNull(tenant, "metrics key tenant");
    InvalidGovernanceException.requireNonNull(pool, "metrics key pool");
    if (tenant.isEmpty() && pool.isEmpty()) {
      throw new InvalidGovernanceException("a metrics key names a tenant, a pool, or both");
    }
    pool.ifPresent(MetricsKey::checkPool);
  }

  /** The metrics of all of the tenant's mail. */
  public static MetricsKey of(TenantId tenant) {
    return new MetricsKey(
        Optional.of(InvalidGovernanceException.requireNonNull(tenant, "tenant")), Optional.empty());
  }

  /** The metrics of the tenant's mail through {@code pool}. */
  public static MetricsKey of(TenantId tenant, String pool) {
    return new MetricsKey(
        Optional.of(InvalidGovernanceException.requireNonNull(tenant, "tenant")),
        Optional.of(checkPool(pool)));
  }

  /** The metrics of every tenant's mail through {@code pool}. */
  public static MetricsKey pool(String pool) {
    return new MetricsKey(Optional.empty(), Optional.of(checkPool(pool)));
  }

  /** Checks a pool name: 1 to {@value #MAX_POOL_LENGTH} characters, no control characters. */
  static String checkPool(String pool) {
    String problem = StoreLimits.textProblem(pool, MAX_POOL_LENGTH);
    if (problem != null) {
      throw new InvalidGovernanceException("pool name " + problem);
    }
    return pool;
  }

  @Override
  public String toString() {
    return tenant.map(t -> "tenant " + t).orElse("")
        + (tenant.isPresent() && pool.isPresent() ? " in " : "")
        + pool.map(p -> "pool " + p).orElse("");
  }
}
