package dev.steward.ippool;

import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Granularity;
import dev.steward.governance.Ladder;
import dev.steward.governance.Level;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricWindow;
import dev.steward.governance.MetricsKey;
import dev.steward.governance.PoolStanding;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingStore;
import dev.steward.governance.WindowReading;
import dev.steward.model.TenantId;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what the strategy needs of each tenant from the stores that own it (governance's standing
 * and metrics, onboarding's record, the current assignments) and asks the {@link IpPoolStrategy}
 * for a {@link PoolPlan}. Reads only; the plan is applied by a {@link PoolPlanApplier}.
 *
 * <p>The plan's moves are ordered: moves into quarantine first (the shared pools are protected
 * before anything else happens), then good senders into the premium pool (a new shared pool is
 * seeded with good senders before others join it), then dedicated pools, standard and warm-up;
 * among moves of one rank, those decided by a metric furthest above its threshold come first (the
 * worst tenants of a pool leave first).
 *
 * <p>Pools are judged on their own metrics too: each view holds, for the pools the tenant's streams
 * send from and the shared pools of the {@link Builder#judgePools tier configuration}, the pool's
 * own {@link PoolStanding} (on that configuration's ladder) and the tenant's readings through it.
 * Within one {@link #plan} a pool is read once for all tenants.
 */
public final class PoolPlanner {
  private static final int THIRTY_DAYS = 30;

  private final IpPoolStrategy strategy;
  private final PoolAssignmentStore assignments;
  private final GovernanceMetricsStore metrics;
  private final StandingStore standings;
  private final OnboardingStore onboarding;
  private final Clock clock;
  private final long minimumDelivered;
  private final Set<Stream> streams;
  private final TierConfig poolConfig;

  private PoolPlanner(Builder b) {
    this.strategy = b.strategy;
    this.assignments = b.assignments;
    this.metrics = b.metrics;
    this.standings = b.standings;
    this.onboarding = b.onboarding;
    this.clock = b.clock;
    this.minimumDelivered = b.minimumDelivered;
    this.streams = Set.copyOf(b.streams);
    this.poolConfig = b.poolConfig;
  }

  /** A builder over the stores; time from {@code clock}. */
  public static Builder builder(
      IpPoolStrategy strategy,
      PoolAssignmentStore assignments,
      GovernanceMetricsStore metrics,
      StandingStore standings,
      Clock clock) {
    return new Builder(strategy, assignments, metrics, standings, clock);
  }

  /** What the strategy sees of {@code tenant} now. */
  public TenantView view(TenantId tenant) {
    InvalidIpPoolException.requireNonNull(tenant, "tenant");
    return view(tenant, clock.instant(), new HashMap<>());
  }

  private TenantView view(TenantId tenant, Instant now, Map<PoolName, PoolStanding> judged) {
    Optional<OnboardingRecord> record =
        onboarding == null ? Optional.empty() : onboarding.find(tenant);
    Optional<Standing> stored = standings.find(tenant);
    Standing standing = stored.orElseGet(() -> Standing.initial(tenant, now));
    Optional<Instant> cleanSince = Optional.empty();
    if (standing.level() == Level.NONE) {
      // a tenant never judged is clean since it was enrolled, or since now if nothing is known
      cleanSince =
          Optional.of(
              stored.isPresent()
                  ? standing.since()
                  : record.map(OnboardingRecord::enrolledAt).orElse(now));
    }
    MetricsKey key = MetricsKey.of(tenant);
    List<WindowReading> readings = new ArrayList<>();
    MetricCounts seven = MetricCounts.ZERO;
    for (MetricWindow w : MetricWindow.values()) {
      MetricCounts c = w.read(metrics, key, now);
      readings.add(new WindowReading(w, c, c.delivered() >= minimumDelivered));
      if (w == MetricWindow.SEVEN_DAYS) {
        seven = c;
      }
    }
    long today = Granularity.DAY.index(now);
    MetricCounts thirty =
        metrics.counts(
            key,
            Granularity.DAY,
            Granularity.DAY.startOf(today - (THIRTY_DAYS - 1)),
            Granularity.DAY.startOf(today + 1));
    Map<Stream, PoolAssignment> current = new EnumMap<>(Stream.class);
    for (PoolAssignment a : assignments.assignments(tenant)) {
      current.put(a.stream(), a);
    }
    Set<PoolName> pools = new TreeSet<>();
    current.values().forEach(a -> pools.add(a.pool()));
    for (Stream s : streams) {
      for (Tier t : List.of(Tier.PREMIUM, Tier.STANDARD, Tier.QUARANTINE)) {
        pools.add(poolConfig.pool(t, s));
      }
    }
    Map<PoolName, PoolView> poolViews = new HashMap<>();
    for (PoolName p : pools) {
      PoolStanding ps =
          judged.computeIfAbsent(
              p, n -> PoolStanding.read(metrics, n.value(), poolConfig.ladder(), now));
      poolViews.put(p, new PoolView(p, ps, readings(MetricsKey.of(tenant, p.value()), now)));
    }
    return new TenantView(
        tenant,
        record.map(OnboardingRecord::state),
        standing,
        cleanSince,
        readings,
        seven.sent() / 7.0,
        thirty.sent() / (double) THIRTY_DAYS,
        current,
        streams,
        now,
        poolViews);
  }

  private List<WindowReading> readings(MetricsKey key, Instant now) {
    List<WindowReading> out = new ArrayList<>();
    for (MetricWindow w : MetricWindow.values()) {
      MetricCounts c = w.read(metrics, key, now);
      out.add(new WindowReading(w, c, c.delivered() >= minimumDelivered));
    }
    return out;
  }

  /** The plan for {@code tenants}: each tenant's moves, ordered as described above. */
  public PoolPlan plan(Collection<TenantId> tenants) {
    InvalidIpPoolException.requireNonNull(tenants, "tenants");
    Instant now = clock.instant();
    List<PoolMove> moves = new ArrayList<>();
    Map<PoolName, PoolStanding> judged = new HashMap<>();
    for (TenantId t : new LinkedHashSet<>(tenants)) {
      List<PoolMove> proposed =
          strategy.propose(view(InvalidIpPoolException.requireNonNull(t, "tenant"), now, judged));
      if (proposed == null) {
        throw new InvalidIpPoolException("the strategy proposed null for " + t);
      }
      for (PoolMove m : proposed) {
        if (!m.tenant().equals(t)) {
          throw new InvalidIpPoolException(
              "the strategy proposed a move of " + m.tenant() + " when asked about " + t);
        }
      }
      moves.addAll(proposed);
    }
    moves.sort(
        Comparator.comparingInt(PoolPlanner::rank)
            .thenComparing(PoolPlanner::severity, Comparator.reverseOrder()));
    return PoolPlan.of(now, moves);
  }

  /** How far a metric decided the move above its threshold; 0 for a move no metric decided. */
  private static double severity(PoolMove m) {
    MoveReason r = m.reason();
    if (r.cause() != MoveReason.Cause.METRIC
        || r.value().isEmpty()
        || r.threshold().isEmpty()
        || !(r.threshold().getAsDouble() > 0)) {
      return 0;
    }
    return r.value().getAsDouble() / r.threshold().getAsDouble();
  }

  private static int rank(PoolMove m) {
    return switch (m.tier()) {
      case QUARANTINE -> 0;
      case PREMIUM -> 1;
      case DEDICATED -> 2;
      case STANDARD -> 3;
      case WARMUP -> 4;
    };
  }

  /** Builds a {@link PoolPlanner}. */
  public static final class Builder {
    private final IpPoolStrategy strategy;
    private final PoolAssignmentStore assignments;
    private final GovernanceMetricsStore metrics;
    private final StandingStore standings;
    private final Clock clock;
    private OnboardingStore onboarding;
    private long minimumDelivered = Ladder.DEFAULT_MINIMUM_DELIVERED;
    private Set<Stream> streams = EnumSet.allOf(Stream.class);
    private TierConfig poolConfig = TierConfig.ofDefaults();

    private Builder(
        IpPoolStrategy strategy,
        PoolAssignmentStore assignments,
        GovernanceMetricsStore metrics,
        StandingStore standings,
        Clock clock) {
      this.strategy = InvalidIpPoolException.requireNonNull(strategy, "strategy");
      this.assignments = InvalidIpPoolException.requireNonNull(assignments, "assignments");
      this.metrics = InvalidIpPoolException.requireNonNull(metrics, "metrics");
      this.standings = InvalidIpPoolException.requireNonNull(standings, "standings");
      this.clock = InvalidIpPoolException.requireNonNull(clock, "clock");
    }

    /** Onboarding's records: tenants in their pilot warm up (default: onboarding not in use). */
    public Builder onboarding(OnboardingStore onboarding) {
      this.onboarding = InvalidIpPoolException.requireNonNull(onboarding, "onboarding");
      return this;
    }

    /**
     * The delivered mail a window needs to be judged (default the ladder's, {@value
     * Ladder#DEFAULT_MINIMUM_DELIVERED}): pass {@code ladder.minimumDelivered()} for another.
     */
    public Builder minimumDelivered(long minimum) {
      if (minimum < 1) {
        throw new InvalidIpPoolException("minimumDelivered must be at least 1, was " + minimum);
      }
      this.minimumDelivered = minimum;
      return this;
    }

    /** The streams placed (default both). */
    public Builder streams(Set<Stream> streams) {
      InvalidIpPoolException.requireNonNull(streams, "streams");
      if (streams.isEmpty()) {
        throw new InvalidIpPoolException("streams must not be empty");
      }
      this.streams = EnumSet.copyOf(streams);
      return this;
    }

    /**
     * The configuration whose shared pools are judged beside the tenant's current ones, on its
     * ladder's thresholds and minimum volume (default {@link TierConfig#ofDefaults()}): pass the
     * tiered strategy's own.
     */
    public Builder judgePools(TierConfig config) {
      this.poolConfig = InvalidIpPoolException.requireNonNull(config, "config");
      return this;
    }

    /** The planner. */
    public PoolPlanner build() {
      return new PoolPlanner(this);
    }
  }
}
