package dev.steward.ippool;

import dev.steward.model.TenantId;
import java.util.Optional;

/**
 * One proposed change: a tenant's stream goes from its current pool (none for a first assignment)
 * to another, for a reason. It applies only while the stream's assignment still has {@code
 * fromVersion} (0 when it has none), so a move applied twice, or by two instances, takes effect
 * once.
 */
public record PoolMove(
    TenantId tenant,
    Stream stream,
    Optional<PoolName> from,
    PoolName to,
    Tier tier,
    long fromVersion,
    MoveReason reason) {
  public PoolMove {
    InvalidIpPoolException.requireNonNull(tenant, "move tenant");
    InvalidIpPoolException.requireNonNull(stream, "move stream");
    InvalidIpPoolException.requireNonNull(from, "move from");
    InvalidIpPoolException.requireNonNull(to, "move to");
    InvalidIpPoolException.requireNonNull(tier, "move tier");
    InvalidIpPoolException.requireNonNull(reason, "move reason");
    if (fromVersion < 0) {
      throw new InvalidIpPoolException("move fromVersion must not be negative, was " + fromVersion);
    }
    if (from.isPresent() != (fromVersion > 0)) {
      throw new InvalidIpPoolException(
          "a move from no pool has fromVersion 0, and a move from a pool a positive one; was "
              + from.map(PoolName::value).orElse("none")
              + " at version "
              + fromVersion);
    }
  }

  /** The version the stream's assignment has once this move is applied. */
  public long toVersion() {
    return fromVersion + 1;
  }

  @Override
  public String toString() {
    return tenant
        + "/"
        + stream
        + ": "
        + from.map(PoolName::value).orElse("(none)")
        + " -> "
        + to
        + " ("
        + tier
        + "; "
        + reason
        + ")";
  }
}
