package dev.steward.governance;

import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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

  private static final WorkType<String> TYPE = WorkType.json(KIND);

  private final GovernanceMetricsStore metrics;
  private final StandingStore standings;
  private final Clock clock;
  private final Ladder ladder;
  private final Duration every;
  private final List<StandingListener> listeners;

  private GovernanceEvaluator(Builder b) {
    this.metrics = b.metrics;
    this.standings = b.standings;
    this.clock = b.clock;
    this.ladder = b.ladder;
    this.every = b.every;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
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

  /** The breaches in readings: per window and metric, the highest rung reached. */
  List<Breach> breaches(List<WindowReading> readings) {
    List<Breach> out = new ArrayList<>();
    for (WindowReading r : readings) {
      if (!r.sufficient()) {
        continue;
      }
      for (GovernanceMetric m : GovernanceMetric.values()) {
        double v = r.value(m);
        Rung reached = null;
        for (Rung rung : ladder.rungs().values()) {
          Optional<Double> t = rung.threshold(m);
          if (t.isPresent() && v >= t.get()) {
            reached = rung;
          }
        }
        if (reached != null) {
          out.add(
              new Breach(
                  m,
                  r.window(),
                  v,
                  reached.threshold(m).get(),
                  reached.level(),
                  m.numeratorOf(r.counts()),
                  m.denominatorOf(r.counts())));
        }
      }
    }
    out.sort(
        Comparator.comparing(Breach::level)
            .reversed()
            .thenComparing(b -> b.value() / b.threshold(), Comparator.reverseOrder()));
    return out;
  }

  /** Evaluates the tenant now, stores its standing and tells the listeners of a change. */
  public GovernanceDecision evaluate(TenantId tenant) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    Instant now = clock.instant();
    List<WindowReading> readings = readings(MetricsKey.of(tenant));
    List<Breach> breaches = breaches(readings);
    GovernanceDecision[] out = new GovernanceDecision[1];
    standings.update(
        tenant,
        now,
        current -> {
          GovernanceDecision d = decide(current, readings, breaches, now);
          out[0] = d;
          return d.standing();
        });
    GovernanceDecision d = out[0];
    for (StandingListener l : listeners) {
      try {
        l.onDecision(d);
      } catch (RuntimeException e) {
        log.warn("standing listener failed on a decision for tenant {}; ignored", tenant, e);
      }
    }
    if (d.changed() || d.cause() == Cause.TERMINATION_REVIEW || d.cause() == Cause.OVERRIDE_ENDED) {
      log.info(
          "tenant {}: {} -> {} ({}): {}",
          tenant,
          d.previous(),
          d.level(),
          d.cause(),
          d.explanation());
      publish(
          new StandingChanged(
              tenant, now, d.previous(), d.level(), d.cause(), d.explanation(), d.standing()));
    } else {
      log.debug("tenant {}: {} ({}): {}", tenant, d.level(), d.cause(), d.explanation());
    }
    return d;
  }

  /** The decision for a standing: a pure function of its arguments and the ladder. */
  GovernanceDecision decide(
      Standing current, List<WindowReading> readings, List<Breach> breaches, Instant now) {
    Level cur = current.level();
    TenantId tenant = current.tenant();
    Standing s = current;
    String prefix = "";
    if (s.override().isPresent() && !s.overriddenAt(now)) {
      HumanOverride o = s.override().get();
      String why = "override by " + o.by() + " ended at " + o.until().orElse(now);
      s =
          s.with(
              s.level(),
              s.since(),
              automaticExpiry(s.level(), now),
              Optional.empty(),
              s.terminationReview(),
              Optional.empty(),
              new StandingChange(now, s.level(), s.level(), Cause.OVERRIDE_ENDED, why));
      prefix = why + "; ";
    }
    if (s.overriddenAt(now)) {
      HumanOverride o = s.override().get();
      return decision(
          current,
          s,
          Cause.OVERRIDE_IN_FORCE,
          breaches,
          readings,
          now,
          "override by " + o.by() + " in force (" + o.reason() + ")" + seen(breaches));
    }
    boolean anySufficient = readings.stream().anyMatch(WindowReading::sufficient);
    if (cur == Level.TERMINATE) {
      return decision(
          current,
          s,
          Cause.UNCHANGED,
          breaches,
          readings,
          now,
          prefix + "terminated by a human; evaluation changes nothing");
    }
    if (!anySufficient) {
      if (cur != Level.NONE && s.expiresAt().isPresent() && !now.isBefore(s.expiresAt().get())) {
        return stepDown(
            current,
            s,
            Level.NONE,
            Cause.EXPIRED,
            breaches,
            readings,
            now,
            prefix
                + cur.jsonName()
                + " expired at "
                + s.expiresAt().get()
                + " unrenewed (too little mail to judge: "
                + volumes(readings)
                + ")");
      }
      return decision(
          current,
          s,
          Cause.INSUFFICIENT_DATA,
          breaches,
          readings,
          now,
          prefix
              + "insufficient data: "
              + volumes(readings)
              + " below the minimum of "
              + ladder.minimumDelivered()
              + " delivered");
    }
    Level target = breaches.isEmpty() ? Level.NONE : breaches.get(0).level();
    if (target.isAbove(cur)) {
      String why = prefix + explainAt(breaches, target);
      Level to = target;
      Cause cause = Cause.ESCALATED;
      boolean review = s.terminationReview();
      Standing escalated =
          s.with(
              to,
              now,
              automaticExpiry(to, now),
              Optional.empty(),
              review,
              Optional.empty(),
              new StandingChange(now, cur, to, cause, why));
      Level rl = ladder.repeatLevel();
      if (rl.isAbove(cur) && !rl.isAbove(to) && !review) {
        long count =
            escalated.history().stream()
                .filter(c -> !c.at().isBefore(now.minus(ladder.repeatWithin())))
                .filter(c -> c.cause() == Cause.ESCALATED || c.cause() == Cause.TERMINATION_REVIEW)
                .filter(c -> !rl.isAbove(c.to()) && rl.isAbove(c.from()))
                .count();
        if (count >= ladder.repeatCount()) {
          Level suspended = Level.SUSPEND.isAbove(to) ? Level.SUSPEND : to;
          String rwhy =
              why
                  + "; escalation "
                  + count
                  + " to "
                  + rl.jsonName()
                  + " or above within "
                  + ladder.repeatWithin().toDays()
                  + " days calls for a termination review: sending"
                  + " suspended until a human decides";
          escalated =
              s.with(
                  suspended,
                  now,
                  automaticExpiry(suspended, now),
                  Optional.empty(),
                  true,
                  Optional.empty(),
                  new StandingChange(now, cur, suspended, Cause.TERMINATION_REVIEW, rwhy));
          return decision(
              current, escalated, Cause.TERMINATION_REVIEW, breaches, readings, now, rwhy);
        }
      }
      return decision(current, escalated, cause, breaches, readings, now, why);
    }
    if (cur == Level.NONE) {
      return decision(
          current,
          s,
          Cause.UNCHANGED,
          breaches,
          readings,
          now,
          prefix
              + "in good standing: every metric below its warn threshold ("
              + volumes(readings)
              + ")");
    }
    if (target == cur) {
      Standing renewed =
          s.with(
              cur,
              s.since(),
              automaticExpiry(cur, now),
              Optional.empty(),
              s.terminationReview(),
              s.override(),
              null);
      return decision(
          current,
          renewed,
          Cause.RENEWED,
          breaches,
          readings,
          now,
          prefix + "still at " + cur.jsonName() + ": " + explainAt(breaches, cur));
    }
    // metrics call for less than the current level
    Instant clean = s.cleanSince().orElse(now);
    boolean cleanLongEnough = !now.isBefore(clean.plus(ladder.stepDownAfter()));
    boolean expired = s.expiresAt().isPresent() && !now.isBefore(s.expiresAt().get());
    String metricsNow =
        target == Level.NONE
            ? "every metric below its warn threshold"
            : "metrics call for " + target.jsonName() + " (" + explainAt(breaches, target) + ")";
    if (cleanLongEnough || expired) {
      Cause cause = cleanLongEnough ? Cause.STEPPED_DOWN : Cause.EXPIRED;
      String why =
          prefix
              + (cleanLongEnough
                  ? "clean since "
                      + clean
                      + " ("
                      + ladder.stepDownAfter().toDays()
                      + " days): "
                      + metricsNow
                  : cur.jsonName()
                      + " expired at "
                      + s.expiresAt().get()
                      + " unrenewed: "
                      + metricsNow);
      return stepDown(current, s, target, cause, breaches, readings, now, why);
    }
    Standing waiting =
        s.with(
            cur,
            s.since(),
            s.expiresAt(),
            Optional.of(clean),
            s.terminationReview(),
            s.override(),
            null);
    return decision(
        current,
        waiting,
        Cause.UNCHANGED,
        breaches,
        readings,
        now,
        prefix
            + metricsNow
            + "; clean since "
            + clean
            + ", a step down needs "
            + ladder.stepDownAfter().toDays()
            + " days");
  }

  private GovernanceDecision stepDown(
      Standing original,
      Standing s,
      Level floor,
      Cause cause,
      List<Breach> breaches,
      List<WindowReading> readings,
      Instant now,
      String why) {
    Level cur = s.level();
    Level to = below(cur);
    if (floor.isAbove(to)) {
      to = floor;
    }
    Optional<Instant> clean = to.isAbove(floor) ? Optional.of(now) : Optional.empty();
    Standing next =
        s.with(
            to,
            now,
            automaticExpiry(to, now),
            clean,
            to.compareTo(Level.SUSPEND) >= 0 && s.terminationReview(),
            Optional.empty(),
            new StandingChange(now, cur, to, cause, why));
    return decision(original, next, cause, breaches, readings, now, why);
  }

  /** The next lower level that has a rung, or NONE. */
  private Level below(Level l) {
    for (int i = l.ordinal() - 1; i > 0; i--) {
      Level candidate = Level.values()[i];
      if (ladder.rung(candidate).isPresent()) {
        return candidate;
      }
    }
    return Level.NONE;
  }

  private Optional<Instant> automaticExpiry(Level l, Instant now) {
    return l == Level.NONE || l == Level.TERMINATE
        ? Optional.empty()
        : Optional.of(now.plus(ladder.expiryOf(l)));
  }

  private static GovernanceDecision decision(
      Standing before,
      Standing after,
      Cause cause,
      List<Breach> breaches,
      List<WindowReading> readings,
      Instant now,
      String why) {
    return new GovernanceDecision(
        before.tenant(), now, before.level(), cause, breaches, readings, why, after);
  }

  private static String explainAt(List<Breach> breaches, Level level) {
    List<String> parts = new ArrayList<>();
    for (Breach b : breaches) {
      if (b.level() == level) {
        parts.add(b.explain());
      }
    }
    return String.join("; ", parts);
  }

  private static String seen(List<Breach> breaches) {
    return breaches.isEmpty()
        ? ""
        : "; metrics seen: " + explainAt(breaches, breaches.get(0).level());
  }

  private static String volumes(List<WindowReading> readings) {
    List<String> parts = new ArrayList<>();
    for (WindowReading r : readings) {
      parts.add(r.counts().delivered() + " delivered over " + r.window().label());
    }
    return String.join(", ", parts);
  }

  // ---- human overrides ------------------------------------------------------------------------

  /**
   * Sets the tenant's level by a human decision with a reason, recorded in its history; it wins
   * over automatic evaluation until {@code duration} has passed (empty: until {@link
   * #clearOverride}). {@link Level#TERMINATE} is reached only this way; an override also ends a
   * termination review.
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
    HumanOverride o = new HumanOverride(level, reason, by, now, duration.map(now::plus));
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
                  Optional.of(o),
                  new StandingChange(
                      now,
                      s.level(),
                      level,
                      Cause.OVERRIDDEN,
                      "override by " + by + ": " + reason));
            });
    publish(
        new StandingChanged(
            tenant,
            now,
            before[0],
            level,
            Cause.OVERRIDDEN,
            "override by " + by + ": " + reason,
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
    Standing after =
        standings.update(
            tenant,
            now,
            s ->
                s.override().isEmpty()
                    ? s
                    : s.with(
                        s.level(),
                        s.since(),
                        automaticExpiry(s.level(), now),
                        Optional.empty(),
                        s.terminationReview(),
                        Optional.empty(),
                        new StandingChange(
                            now,
                            s.level(),
                            s.level(),
                            Cause.OVERRIDE_ENDED,
                            "override cleared by " + by + ": " + reason)));
    publish(
        new StandingChanged(
            tenant,
            now,
            after.level(),
            after.level(),
            Cause.OVERRIDE_ENDED,
            "override cleared by " + by + ": " + reason,
            after));
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

  /** Adds a listener of standing changes. */
  public void addListener(StandingListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  // ---- due work -------------------------------------------------------------------------------

  /**
   * Adds the {@value #KIND} handler to a runner's builder; returns it. The handler evaluates the
   * item's tenant and comes back every period while the tenant stands above {@link Level#NONE} or
   * has mail in its windows.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Objects.requireNonNull(runner, "runner");
    return runner.handler(TYPE, WorkHandler.sync(this::run));
  }

  private Next run(WorkContext<String> work) {
    GovernanceDecision d = evaluate(work.item().key().tenant());
    boolean volume =
        d.readings().stream().anyMatch(r -> r.counts().sent() > 0 || r.counts().delivered() > 0);
    if (d.level() != Level.NONE || volume) {
      return Next.rescheduleAt(work.startedAt().plus(every));
    }
    return Next.done();
  }

  /**
   * Asks for the tenants' evaluation now, unless one is already pending (then it is kept): how the
   * {@link GovernanceListener} makes new events count soon.
   */
  public void schedule(WorkStore work, Collection<TenantId> tenants) {
    Objects.requireNonNull(work, "work");
    InvalidGovernanceException.requireNonNull(tenants, "tenants");
    Instant now = clock.instant();
    List<WorkItem> items = new ArrayList<>(tenants.size());
    for (TenantId t : tenants) {
      items.add(WorkItem.builder(t, KIND, ITEM_ID).payload("{}").dueAt(now).build());
    }
    if (!items.isEmpty()) {
      work.scheduleAll(items, IfExists.KEEP);
    }
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
