package dev.steward.ippool;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * One applied move, as the audit keeps it: who moved where, from which version, why, by which plan
 * and when.
 */
public record PoolChange(
    TenantId tenant,
    Stream stream,
    long version,
    Optional<PoolName> from,
    PoolName to,
    Tier tier,
    MoveReason reason,
    String planId,
    Instant at) {
  public PoolChange {
    InvalidIpPoolException.requireNonNull(tenant, "change tenant");
    InvalidIpPoolException.requireNonNull(stream, "change stream");
    InvalidIpPoolException.requireNonNull(from, "change from");
    InvalidIpPoolException.requireNonNull(to, "change to");
    InvalidIpPoolException.requireNonNull(tier, "change tier");
    InvalidIpPoolException.requireNonNull(reason, "change reason");
    InvalidIpPoolException.requireNonNull(planId, "change planId");
    InvalidIpPoolException.requireNonNull(at, "change at");
  }

  /** The change a move makes when applied at {@code at} as part of plan {@code planId}. */
  public static PoolChange of(PoolMove move, String planId, Instant at) {
    return new PoolChange(
        move.tenant(),
        move.stream(),
        move.toVersion(),
        move.from(),
        move.to(),
        move.tier(),
        move.reason(),
        planId,
        at);
  }

  /** The assignment this change leaves. */
  public PoolAssignment assignment() {
    return new PoolAssignment(tenant, stream, to, tier, version, at);
  }
}
