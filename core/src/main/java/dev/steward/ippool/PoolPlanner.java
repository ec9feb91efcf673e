package dev.steward.ippool;

import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Granularity;
import dev.steward.governance.Ladder;
import dev.steward.governance.Level;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricWindow;
import dev.steward.governance.MetricsKey;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what the strategy needs of each tenant from the stores that own it (governance's standing
 * and metrics, onboarding's record, the current assignments) and asks the {@link IpPoolStrategy}
 * for a {@link PoolPlan}. Reads only; the plan is applied by a {@link PoolPlanApplier}.
 *
 * <p>The plan's moves are ordered: moves into quarantine first (the shared pools are protected
 * before anything else happens), then good senders into the premium pool (a new shared pool is
 * seeded with good senders before others join it), then dedicated pools, standard and warm-up.
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

  private PoolPlanner(Builder b) {
    this.strategy = b.strategy;
    this.assignments = b.assignments;
    this.metrics = b.metrics;
    this.standings = b.standings;
    this.onboarding = b.onboarding;
    this.clock = b.clock;
    this.minimumDelivered = b.minimumDelivered;
    this.streams = Set.copyOf(b.streams);
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
    Instant now = clock.instant();
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
        now);
  }

  /** The plan for {@code tenants}: each tenant's moves, ordered as described above. */
  public PoolPlan plan(Collection<TenantId> tenants) {
    InvalidIpPoolException.requireNonNull(tenants, "tenants");
    Instant now = clock.instant();
    List<PoolMove> moves = new ArrayList<>();
    for (TenantId t : new LinkedHashSet<>(tenants)) {
      List<PoolMove> proposed =
          strategy.propose(view(InvalidIpPoolException.requireNonNull(t, "tenant")));
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
    moves.sort(Comparator.comparingInt(PoolPlanner::rank));
    return PoolPlan.of(now, moves);
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

    /** The planner. */
    public PoolPlanner build() {
      return new PoolPlanner(this);
    }
  }
}
