package dev.steward.governance;

import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-evaluates tenants against the {@link Ladder}: reads the tenant's metrics over the 7-day and
 * 24-hour windows from the {@link GovernanceMetricsStore}, judges the windows that hold the minimum
 * volume ("insufficient data" when none does), and moves the tenant's {@link Standing} in the
 * {@link StandingStore}: up at once to the highest rung any metric reaches; down one rung after the
 * ladder's clean time (7 days) or when an action expires unrenewed; to a termination review
 * (suspended) on repeat offences. A human {@link #override} wins while in force. Each decision
 * explains the metric, value, threshold and window behind it, and each change is told to the {@link
 * StandingListener}s.
 *
 * <p>Evaluation runs as due work: {@link #register} adds the {@value #KIND} handler to a runner,
 * and {@link #schedule} asks for a tenant's evaluation (the {@link GovernanceListener} does so for
 * the tenants in each batch of events); a tenant above {@link Level#NONE} is re-evaluated every
 * {@link Builder#every(Duration) period} (one hour by default), so expiries and step-downs happen
 * without new events. Decisions are made inside the standing store's update, so two instances
 * evaluating one tenant at once decide one after the other from the same standing. Thread-safe.
 */
public final class GovernanceEvaluator {
  private static final Logger log = LoggerFactory.getLogger(GovernanceEvaluator.class);

  /** The work kind of a tenant's evaluation. */
  public static final String KIND = "steward.governance.evaluate";

  /** The id of a tenant's one evaluation item. */
  public static final String ITEM_ID = "evaluate";

  /** Default period of re-evaluation of a tenant above {@link Level#NONE}. */
  public static final Duration DEFAULT_EVERY = Duration.ofHours(1);

  private final GovernanceMetricsStore metrics;
  private final StandingStore standings;
  private final Clock clock;
  private final Ladder ladder;
  private final List<StandingListener> listeners;
  private final StandingDecider decider;
  private final EvaluationWork evaluationWork;

  private GovernanceEvaluator(Builder b) {
    this.metrics = b.metrics;
    this.standings = b.standings;
    this.clock = b.clock;
    this.ladder = b.ladder;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.decider = new StandingDecider(b.ladder);
    this.evaluationWork = new EvaluationWork(this, b.every);
  }

  /** A builder over the stores, reading time from {@code clock}; the default ladder. */
  public static Builder builder(
      GovernanceMetricsStore metrics, StandingStore standings, Clock clock) {
    return new Builder(metrics, standings, clock);
  }

  /** The ladder decisions follow. */
  public Ladder ladder() {
    return ladder;
  }

  /** The clock evaluations read time from. */
  Clock clock() {
    return clock;
  }

  /** The tenant's stored standing; empty if it was never judged or was erased. */
  public Optional<Standing> storedStanding(TenantId tenant) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    return standings.find(tenant);
  }

  /** The tenant's standing ({@link Standing#initial} if none was stored). */
  public Standing standing(TenantId tenant) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    return standings.find(tenant).orElseGet(() -> Standing.initial(tenant, clock.instant()));
  }

  /** The readings of {@code key} over every window now: for pools, or a tenant in a pool. */
  public List<WindowReading> readings(MetricsKey key) {
    InvalidGovernanceException.requireNonNull(key, "key");
    Instant now = clock.instant();
    List<WindowReading> out = new ArrayList<>();
    for (MetricWindow w : MetricWindow.values()) {
      MetricCounts c = w.read(metrics, key, now);
      out.add(new WindowReading(w, c, c.delivered() >= ladder.minimumDelivered()));
    }
    return out;
  }

  /**
   * The pool's own standing now: every tenant's mail through {@code pool} judged on this ladder's
   * thresholds and minimum volume (see {@link PoolStanding}). Reads only; nothing is stored.
   */
  public PoolStanding poolStanding(String pool) {
    return PoolStanding.read(metrics, pool, ladder, clock.instant());
  }

  /**
   * Evaluates the tenant now, stores its standing and tells the listeners of a change. A tenant
   * with no stored standing and no events in its windows, which evaluation leaves in good standing,
   * is not stored (its {@link #standing} reads the same): an erased tenant stays erased.
   */
  public GovernanceDecision evaluate(TenantId tenant) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    Instant now = clock.instant();
    List<WindowReading> readings = readings(MetricsKey.of(tenant));
    List<Breach> breaches = decider.breaches(readings);
    if (readings.stream().allMatch(r -> r.counts().equals(MetricCounts.ZERO))) {
      // a tenant with no standing and no events in its windows (an erased one whose events of
      // before the erasure the tombstone refused, say): if evaluation leaves its initial standing
      // as it is, nothing is stored, so an erased tenant is not brought back
      Optional<GovernanceDecision> nothing = nothingToStore(tenant, readings, breaches, now);
      if (nothing.isPresent()) {
        tell(nothing.get());
        log.debug("tenant {}: no standing and no events; nothing stored", tenant);
        return nothing.get();
      }
    }
    GovernanceDecision[] out = new GovernanceDecision[1];
    boolean[] overrideEnded = {false};
    standings.update(
        tenant,
        now,
        current -> {
          GovernanceDecision d = decider.decide(current, readings, breaches, now);
          out[0] = d;
          // an override that ran out is news even when the level it leaves stays the same
          overrideEnded[0] = current.override().isPresent() && d.standing().override().isEmpty();
          return d.standing();
        });
    GovernanceDecision d = out[0];
    tell(d);
    if (d.changed()
        || d.cause() == Cause.TERMINATION_REVIEW
        || d.cause() == Cause.OVERRIDE_ENDED
        || overrideEnded[0]) {
      // an override that ran out is the cause of what changed with it (its end sets the level)
      Cause cause = overrideEnded[0] ? Cause.OVERRIDE_ENDED : d.cause();
      log.info(
          "tenant {}: {} -> {} ({}): {}", tenant, d.previous(), d.level(), cause, d.explanation());
      publish(
          new StandingChanged(
              tenant, now, d.previous(), d.level(), cause, d.explanation(), d.standing()));
    } else {
      log.debug("tenant {}: {} ({}): {}", tenant, d.level(), d.cause(), d.explanation());
    }
    return d;
  }

  /**
   * The decision on a tenant that has no stored standing, when it leaves the initial standing as it
   * is; empty when the tenant has a standing or evaluation changes it.
   */
  private Optional<GovernanceDecision> nothingToStore(
      TenantId tenant, List<WindowReading> readings, List<Breach> breaches, Instant now) {
    if (standings.find(tenant).isPresent()) {
      return Optional.empty();
    }
    Standing initial = Standing.initial(tenant, now);
    GovernanceDecision d = decider.decide(initial, readings, breaches, now);
    return d.standing().equals(initial) ? Optional.of(d) : Optional.empty();
  }

  private void tell(GovernanceDecision d) {
    for (StandingListener l : listeners) {
      try {
        l.onDecision(d);
      } catch (RuntimeException e) {
        log.warn("standing listener failed on a decision for tenant {}; ignored", d.tenant(), e);
      }
    }
  }

  // ---- human overrides ------------------------------------------------------------------------

  /**
   * Sets the tenant's level by a human decision with a reason, recorded in its history; it wins
   * over automatic evaluation until {@code duration} has passed (empty: until {@link
   * #clearOverride}). {@link Level#TERMINATE} is reached only this way; an override also ends a
   * termination review. When a timed override runs out, the next evaluation returns the tenant to
   * the standing evaluation computes, and says so ({@link Cause#OVERRIDE_ENDED}): the level its
   * metrics call for when they can be judged (reached as an escalation from the level before the
   * override when it is higher, so that repeat offences count), else the level it had before the
   * override; a termination without end made before a temporary override comes back. The level
   * before is kept in the override ({@link HumanOverride#resumeTo}) when it is made; an override
   * made over a timed one keeps that one's, so a temporary termination ends however often it is
   * extended or replaced.
   */
  public Standing override(
      TenantId tenant, Level level, String reason, String by, Optional<Duration> duration) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    InvalidGovernanceException.requireNonNull(duration, "duration");
    Instant now = clock.instant();
    if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero())) {
      throw new InvalidGovernanceException(
          "override duration " + duration.get() + " must be positive");
    }
    // checked before anything is written; where it returns to is read from the standing
    HumanOverride o =
        new HumanOverride(level, reason, by, now, duration.map(now::plus), Level.NONE);
    Level[] before = new Level[1];
    Standing after =
        standings.update(
            tenant,
            now,
            s -> {
              before[0] = s.level();
              return s.with(
                  level,
                  now,
                  o.until(),
                  Optional.empty(),
                  false,
                  Optional.of(o.resumingTo(HumanOverride.resumeLevelOf(s))),
                  new StandingChange(
                      now,
                      s.level(),
                      level,
                      Cause.OVERRIDDEN,
                      Explanations.overridden(by, reason)));
            });
    publish(
        new StandingChanged(
            tenant,
            now,
            before[0],
            level,
            Cause.OVERRIDDEN,
            Explanations.overridden(by, reason),
            after));
    return after;
  }

  /**
   * Ends a human override, recorded with its reason: the level stays, with an automatic expiry, and
   * evaluation resumes from it.
   */
  public Standing clearOverride(TenantId tenant, String reason, String by) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    if (reason == null || reason.isBlank() || by == null || by.isBlank()) {
      throw new InvalidGovernanceException("clearing an override needs a reason and who clears it");
    }
    Instant now = clock.instant();
    boolean[] cleared = {false};
    Standing after =
        standings.update(
            tenant,
            now,
            s -> {
              cleared[0] = s.override().isPresent(); // the last run of the update is the one kept
              return s.override().isEmpty()
                  ? s
                  : s.with(
                      s.level(),
                      s.since(),
                      decider.automaticExpiry(s.level(), now),
                      Optional.empty(),
                      s.terminationReview(),
                      Optional.empty(),
                      new StandingChange(
                          now,
                          s.level(),
                          s.level(),
                          Cause.OVERRIDE_ENDED,
                          Explanations.overrideCleared(by, reason)));
            });
    if (!cleared[0]) {
      return after; // nothing was overridden: nothing changed, nothing to announce
    }
    publish(
        new StandingChanged(
            tenant,
            now,
            after.level(),
            after.level(),
            Cause.OVERRIDE_ENDED,
            Explanations.overrideCleared(by, reason),
            after));
    return after;
  }

  /**
   * Records a warning that no metric shows (a reviewer rejected a sampled message's content, say):
   * a tenant in good standing moves up to {@link Level#WARN}, with the warning's automatic expiry,
   * and steps down as any warning does (clean days, or expiry); a tenant already at {@link
   * Level#WARN} stays there, its expiry and its clean days renewed from now ({@link Cause#RENEWED}:
   * the newest warning runs its own course, its since unchanged); a tenant above the warning keeps
   * its level and the warning joins its history. Unlike an {@link #override}, automatic evaluation
   * goes on, so metrics still escalate the tenant. While a human override is in force the warning
   * joins the history and changes nothing.
   *
   * @param explanation what was wrong, for the tenant's history (1 to 2,000 characters)
   */
  public Standing warn(TenantId tenant, String explanation) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    if (explanation == null || explanation.isBlank()) {
      throw new InvalidGovernanceException("a warning needs an explanation");
    }
    if (explanation.length() > HumanOverride.MAX_REASON) {
      throw new InvalidGovernanceException(
          "warning explanation is "
              + explanation.length()
              + " characters; at most "
              + HumanOverride.MAX_REASON);
    }
    Instant now = clock.instant();
    Level[] before = new Level[1];
    Standing after =
        standings.update(
            tenant,
            now,
            s -> {
              before[0] = s.level();
              if (Level.WARN.isAbove(s.level()) && !s.overriddenAt(now)) {
                return s.with(
                    Level.WARN,
                    now,
                    decider.automaticExpiry(Level.WARN, now),
                    Optional.empty(),
                    s.terminationReview(),
                    s.override(),
                    new StandingChange(now, s.level(), Level.WARN, Cause.ESCALATED, explanation));
              }
              if (s.level() == Level.WARN && !s.overriddenAt(now)) {
                // a fresh warning while warned runs its own expiry, as a metric still at its
                // warn threshold does (Cause.RENEWED): the clean days start again too
                return s.with(
                    Level.WARN,
                    s.since(),
                    decider.automaticExpiry(Level.WARN, now),
                    Optional.empty(),
                    s.terminationReview(),
                    s.override(),
                    new StandingChange(now, Level.WARN, Level.WARN, Cause.RENEWED, explanation));
              }
              Cause kept = s.overriddenAt(now) ? Cause.OVERRIDE_IN_FORCE : Cause.UNCHANGED;
              return s.with(
                  s.level(),
                  s.since(),
                  s.expiresAt(),
                  s.cleanSince(),
                  s.terminationReview(),
                  s.override(),
                  new StandingChange(now, s.level(), s.level(), kept, explanation));
            });
    if (after.level() != before[0]) {
      log.info("tenant {}: {} -> {} (warning): {}", tenant, before[0], after.level(), explanation);
      publish(
          new StandingChanged(
              tenant, now, before[0], after.level(), Cause.ESCALATED, explanation, after));
    }
    return after;
  }

  private void publish(StandingChanged event) {
    for (StandingListener l : listeners) {
      try {
        l.onChange(event);
      } catch (RuntimeException e) {
        log.warn("standing listener failed on tenant {}; ignored", event.tenant(), e);
      }
    }
  }

  // ---- due work -------------------------------------------------------------------------------

  /**
   * Adds the {@value #KIND} handler to a runner's builder; returns it. The handler evaluates the
   * item's tenant and comes back every period while the tenant stands above {@link Level#NONE} or
   * has mail in its windows.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Objects.requireNonNull(runner, "runner");
    return evaluationWork.register(runner);
  }

  /**
   * Asks for the tenants' evaluation now, unless one is already pending (then it is kept): how the
   * {@link GovernanceListener} makes new events count soon.
   */
  public void schedule(WorkStore work, Collection<TenantId> tenants) {
    Objects.requireNonNull(work, "work");
    InvalidGovernanceException.requireNonNull(tenants, "tenants");
    EvaluationWork.schedule(work, tenants, clock.instant());
  }

  /** Configures a {@link GovernanceEvaluator}. */
  public static final class Builder {
    private final GovernanceMetricsStore metrics;
    private final StandingStore standings;
    private final Clock clock;
    private Ladder ladder = Ladder.ofDefaults();
    private Duration every = DEFAULT_EVERY;
    private final List<StandingListener> listeners = new ArrayList<>();

    private Builder(GovernanceMetricsStore metrics, StandingStore standings, Clock clock) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      this.standings = Objects.requireNonNull(standings, "standings");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The ladder; {@link Ladder#ofDefaults()} by default. */
    public Builder ladder(Ladder ladder) {
      this.ladder = InvalidGovernanceException.requireNonNull(ladder, "ladder");
      return this;
    }

    /** How often a tenant above NONE is re-evaluated; at least one minute. */
    public Builder every(Duration every) {
      if (every == null || every.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new InvalidGovernanceException("every must be at least 1 minute, was " + every);
      }
      this.every = every;
      return this;
    }

    /** Adds a listener of standing changes. */
    public Builder listener(StandingListener listener) {
      listeners.add(InvalidGovernanceException.requireNonNull(listener, "listener"));
      return this;
    }

    public GovernanceEvaluator build() {
      return new GovernanceEvaluator(this);
    }
  }
}
