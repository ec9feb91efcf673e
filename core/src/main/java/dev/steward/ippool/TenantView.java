package dev.steward.ippool;

import dev.steward.governance.Standing;
import dev.steward.governance.WindowReading;
import dev.steward.model.TenantId;
import dev.steward.onboarding.OnboardingState;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a strategy sees of one tenant: its onboarding state, governance standing and readings (read
 * from governance's stores, not counted again), its volume, and where its streams are now.
 *
 * @param onboarding the onboarding state; empty when onboarding is not in use for the tenant
 * @param standing the governance standing ({@code Standing.initial} when none is stored)
 * @param cleanSince since when the standing has been at {@code NONE}; empty when it is not
 * @param readings the tenant's readings over governance's windows (7 days and 24 hours)
 * @param dailySent7d mail sent a day, averaged over the last 7 days
 * @param dailySent30d mail sent a day, averaged over the last 30 days
 * @param assignments where each stream sends from now
 * @param streams the streams to place
 * @param now when the view was read
 * @param pools the pools its streams send from now and the shared pools they may move to, each with
 *     its own standing and the tenant's readings through it; empty when not read
 */
public record TenantView(
    TenantId tenant,
    Optional<OnboardingState> onboarding,
    Standing standing,
    Optional<Instant> cleanSince,
    List<WindowReading> readings,
    double dailySent7d,
    double dailySent30d,
    Map<Stream, PoolAssignment> assignments,
    Set<Stream> streams,
    Instant now,
    Map<PoolName, PoolView> pools) {
  public TenantView {
    InvalidIpPoolException.requireNonNull(tenant, "view tenant");
    InvalidIpPoolException.requireNonNull(onboarding, "view onboarding");
    InvalidIpPoolException.requireNonNull(standing, "view standing");
    InvalidIpPoolException.requireNonNull(cleanSince, "view cleanSince");
    readings = List.copyOf(InvalidIpPoolException.requireNonNull(readings, "view readings"));
    InvalidIpPoolException.requireNonNull(assignments, "view assignments");
    assignments = assignments.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(assignments));
    streams = Set.copyOf(InvalidIpPoolException.requireNonNull(streams, "view streams"));
    InvalidIpPoolException.requireNonNull(now, "view now");
    pools = Map.copyOf(InvalidIpPoolException.requireNonNull(pools, "view pools"));
    pools.forEach(
        (name, view) -> {
          if (!view.pool().equals(name)) {
            throw new InvalidIpPoolException(
                "the view's pool " + name + " holds the view of " + view.pool());
          }
        });
    if (!standing.tenant().equals(tenant)) {
      throw new InvalidIpPoolException(
          "the view of " + tenant + " holds the standing of " + standing.tenant());
    }
    if (dailySent7d < 0 || dailySent30d < 0) {
      throw new InvalidIpPoolException("daily volumes must not be negative");
    }
  }

  /** A view without pools' own standings (pools are then judged by the tenant's metrics only). */
  public TenantView(
      TenantId tenant,
      Optional<OnboardingState> onboarding,
      Standing standing,
      Optional<Instant> cleanSince,
      List<WindowReading> readings,
      double dailySent7d,
      double dailySent30d,
      Map<Stream, PoolAssignment> assignments,
      Set<Stream> streams,
      Instant now) {
    this(
        tenant,
        onboarding,
        standing,
        cleanSince,
        readings,
        dailySent7d,
        dailySent30d,
        assignments,
        streams,
        now,
        Map.of());
  }

  /** The pool's view, if it was read. */
  public Optional<PoolView> pool(PoolName pool) {
    return Optional.ofNullable(pools.get(pool));
  }

  /** The stream's assignment, if any. */
  public Optional<PoolAssignment> assignment(Stream stream) {
    return Optional.ofNullable(assignments.get(stream));
  }
}
