package dev.steward.ippool;

import dev.steward.model.TenantId;
import java.time.Instant;

/**
 * Where one stream of a tenant sends from now.
 *
 * @param version 1 for the first assignment, one more for each move: a move is applied only over
 *     the version it was planned from, which makes applying idempotent
 * @param since when the stream moved here
 */
public record PoolAssignment(
    TenantId tenant, Stream stream, PoolName pool, Tier tier, long version, Instant since) {
  public PoolAssignment {
    InvalidIpPoolException.requireNonNull(tenant, "assignment tenant");
    InvalidIpPoolException.requireNonNull(stream, "assignment stream");
    InvalidIpPoolException.requireNonNull(pool, "assignment pool");
    InvalidIpPoolException.requireNonNull(tier, "assignment tier");
    InvalidIpPoolException.requireNonNull(since, "assignment since");
    if (version < 1) {
      throw new InvalidIpPoolException("assignment version must be at least 1, was " + version);
    }
  }
}
