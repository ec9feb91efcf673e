package dev.steward.governance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The escalation ladder as data: warn, restrict (freeze the ramp, cut the daily cap), quarantine
 * (move to the quarantine pool), suspend (stop sending, human review); terminate is a human's
 * decision. Each {@link Rung} names the thresholds at or above which a metric puts a tenant on it;
 * a metric's thresholds must rise with the level, so the rungs never overlap. A tenant steps down
 * one rung only after {@link #stepDownAfter()} clean (7 days by default); repeat offences are
 * counted ({@link #repeatCount()} escalations to {@link #repeatLevel()} within {@link
 * #repeatWithin()}, by default three quarantines in 90 days, call for a termination review).
 * Metrics are judged only when the window holds at least {@link #minimumDelivered()} delivered
 * messages (200 by default).
 *
 * <p>Built with {@link #builder()} (every setter validates, {@link Builder#build()} checks the
 * whole) or read from JSON with {@link #fromJson} ({@link #toJson} writes it). Immutable.
 *
 * <p>Default rungs ({@link #ofDefaults()}), as rates:
 *
 * <pre>
 * metric            warn    restrict  quarantine  suspend
 * spam-rate         0.10%   0.15%     0.20%       0.30%   Gmail: under 0.10%, never 0.30%
 * hard-bounce-rate  2%      3%        5%          10%     SES: review 5%, pause 10%
 * block-rate        3%      8%        15%         -
 * invalid-rate      1%      3%        5%          -
 * unsubscribe-rate  0.5%    1%        -           -
 * deferral-rate     10%     20%       -           -
 * inactive-share    25%     35%       50%         -
 * </pre>
 */
public final class Ladder {
  /** Default minimum of delivered messages in a window before its metrics are judged. */
  public static final long DEFAULT_MINIMUM_DELIVERED = 200;

  /** Default clean time before a step down. */
  public static final Duration DEFAULT_STEP_DOWN_AFTER = Duration.ofDays(7);

  /** Default period after which an address without opens or clicks counts as inactive. */
  public static final Duration DEFAULT_INACTIVE_AFTER = Duration.ofDays(180);

  /** Default repeat offence: this many escalations to quarantine ... */
  public static final int DEFAULT_REPEAT_COUNT = 3;

  /** ... within this period call for a termination review. */
  public static final Duration DEFAULT_REPEAT_WITHIN = Duration.ofDays(90);

  /** Default share of the daily cap a restricted tenant keeps. */
  public static final double DEFAULT_RESTRICT_CAP_FACTOR = 0.5;

  /** Default name of the quarantine pool. */
  public static final String DEFAULT_QUARANTINE_POOL = "quarantine";

  /** Default expiry of a warning. */
  public static final Duration DEFAULT_WARN_EXPIRY = Duration.ofDays(7);

  /** Default expiry of a restriction. */
  public static final Duration DEFAULT_RESTRICT_EXPIRY = Duration.ofDays(14);

  /** Default expiry of a quarantine. */
  public static final Duration DEFAULT_QUARANTINE_EXPIRY = Duration.ofDays(30);

  /** Default expiry of a suspension that no human has reviewed. */
  public static final Duration DEFAULT_SUSPEND_EXPIRY = Duration.ofDays(30);

  private static final Ladder DEFAULTS = defaults();

  private final Map<Level, Rung> rungs;
  private final long minimumDelivered;
  private final Duration stepDownAfter;
  private final Duration inactiveAfter;
  private final Level repeatLevel;
  private final int repeatCount;
  private final Duration repeatWithin;
  private final double restrictCapFactor;
  private final String quarantinePool;

  private Ladder(Builder b) {
    this.rungs = Collections.unmodifiableMap(new EnumMap<>(b.rungs));
    this.minimumDelivered = b.minimumDelivered;
    this.stepDownAfter = b.stepDownAfter;
    this.inactiveAfter = b.inactiveAfter;
    this.repeatLevel = b.repeatLevel;
    this.repeatCount = b.repeatCount;
    this.repeatWithin = b.repeatWithin;
    this.restrictCapFactor = b.restrictCapFactor;
    this.quarantinePool = b.quarantinePool;
  }

  /** The default ladder (see the table above). */
  public static Ladder ofDefaults() {
    return DEFAULTS;
  }

  private static Ladder defaults() {
    Builder b = builder();
    for (GovernanceMetric m : GovernanceMetric.values()) {
      b.threshold(Level.WARN, m, m.defaultWarn());
      b.threshold(m.defaultActLevel(), m, m.defaultAct());
    }
    b.threshold(Level.RESTRICT, GovernanceMetric.SPAM_RATE, 0.0015)
        .threshold(Level.QUARANTINE, GovernanceMetric.SPAM_RATE, 0.002)
        .threshold(Level.RESTRICT, GovernanceMetric.HARD_BOUNCE_RATE, 0.03)
        .threshold(Level.QUARANTINE, GovernanceMetric.HARD_BOUNCE_RATE, 0.05)
        .threshold(Level.RESTRICT, GovernanceMetric.BLOCK_RATE, 0.08)
        .threshold(Level.RESTRICT, GovernanceMetric.INVALID_RATE, 0.03)
        .threshold(Level.RESTRICT, GovernanceMetric.INACTIVE_SHARE, 0.35);
    return b.build();
  }

  /** An empty builder: no rungs yet, every other setting at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this ladder's settings, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.rungs.putAll(rungs);
    for (Map.Entry<Level, Rung> e : rungs.entrySet()) {
      b.thresholds.put(e.getKey(), new EnumMap<>(e.getValue().thresholds()));
      b.expiries.put(e.getKey(), e.getValue().expiry());
    }
    b.minimumDelivered = minimumDelivered;
    b.stepDownAfter = stepDownAfter;
    b.inactiveAfter = inactiveAfter;
    b.repeatLevel = repeatLevel;
    b.repeatCount = repeatCount;
    b.repeatWithin = repeatWithin;
    b.restrictCapFactor = restrictCapFactor;
    b.quarantinePool = quarantinePool;
    return b;
  }

  /** The rungs by level, lowest first. */
  public Map<Level, Rung> rungs() {
    return rungs;
  }

  /** The rung of {@code level}, if the ladder has one. */
  public Optional<Rung> rung(Level level) {
    return Optional.ofNullable(rungs.get(level));
  }

  /**
   * How long an automatic action at {@code level} lasts unless renewed: its rung's expiry, or the
   * level's default ({@link #DEFAULT_RESTRICT_EXPIRY}, ...) when the ladder has no rung for it.
   *
   * @throws InvalidGovernanceException for {@link Level#NONE} and {@link Level#TERMINATE}, which
   *     have no automatic action
   */
  public Duration expiryOf(Level level) {
    InvalidGovernanceException.requireNonNull(level, "level");
    if (level == Level.NONE || level == Level.TERMINATE) {
      throw new InvalidGovernanceException(
          "level "
              + level.jsonName()
              + " has no automatic action to expire (none is no action, terminate is a human's)");
    }
    Rung r = rungs.get(level);
    // a level without a rung is still reached (a suspension for repeat offences, a human's
    // override running out): its action lasts the level's default, not a warning's
    return r == null ? Builder.defaultExpiry(level) : r.expiry();
  }

  /** The fewest delivered messages in a window for its metrics to be judged. */
  public long minimumDelivered() {
    return minimumDelivered;
  }

  /** How long a tenant must be clean before it steps down one rung. */
  public Duration stepDownAfter() {
    return stepDownAfter;
  }

  /** After how long without an open or click a mailed address counts as inactive. */
  public Duration inactiveAfter() {
    return inactiveAfter;
  }

  /** The level whose repeated escalations count as repeat offences. */
  public Level repeatLevel() {
    return repeatLevel;
  }

  /** How many escalations to {@link #repeatLevel()} call for a termination review. */
  public int repeatCount() {
    return repeatCount;
  }

  /** Within how long those escalations count. */
  public Duration repeatWithin() {
    return repeatWithin;
  }

  /** The share of its daily cap a restricted tenant keeps. */
  public double restrictCapFactor() {
    return restrictCapFactor;
  }

  /** The pool quarantined tenants send through. */
  public String quarantinePool() {
    return quarantinePool;
  }

  /**
   * Reads a ladder from JSON strictly: unknown fields, metrics or levels, repeated keys and values
   * of the wrong type are refused with an {@link InvalidLadderException} naming their path; the
   * ladder is then validated as {@link Builder#build()} does. Settings left out keep their
   * defaults; rungs left out are absent.
   */
  public static Ladder fromJson(String json) {
    return LadderJson.read(json);
  }

  /** This ladder as JSON, read back equal by {@link #fromJson}. */
  public String toJson() {
    return LadderJson.write(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ladder l
        && rungs.equals(l.rungs)
        && minimumDelivered == l.minimumDelivered
        && stepDownAfter.equals(l.stepDownAfter)
        && inactiveAfter.equals(l.inactiveAfter)
        && repeatLevel == l.repeatLevel
        && repeatCount == l.repeatCount
        && repeatWithin.equals(l.repeatWithin)
        && Double.compare(restrictCapFactor, l.restrictCapFactor) == 0
        && quarantinePool.equals(l.quarantinePool);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rungs, minimumDelivered, stepDownAfter, repeatCount, quarantinePool);
  }

  @Override
  public String toString() {
    return "Ladder" + toJson();
  }

  /** Configures a {@link Ladder}; each setter validates, {@link #build()} checks the whole. */
  public static final class Builder {
    private final Map<Level, Rung> rungs = new EnumMap<>(Level.class);
    private final Map<Level, Map<GovernanceMetric, Double>> thresholds = new EnumMap<>(Level.class);
    private final Map<Level, Duration> expiries = new EnumMap<>(Level.class);
    private long minimumDelivered = DEFAULT_MINIMUM_DELIVERED;
    private Duration stepDownAfter = DEFAULT_STEP_DOWN_AFTER;
    private Duration inactiveAfter = DEFAULT_INACTIVE_AFTER;
    private Level repeatLevel = Level.QUARANTINE;
    private int repeatCount = DEFAULT_REPEAT_COUNT;
    private Duration repeatWithin = DEFAULT_REPEAT_WITHIN;
    private double restrictCapFactor = DEFAULT_RESTRICT_CAP_FACTOR;
    private String quarantinePool = DEFAULT_QUARANTINE_POOL;

    private Builder() {}

    /**
     * Puts {@code metric}'s threshold on the rung of {@code level} (creating the rung, with its
     * default expiry, if absent); replaces an earlier threshold of the same metric and level.
     */
    public Builder threshold(Level level, GovernanceMetric metric, double threshold) {
      checkRungLevel(level);
      if (metric == null) {
        throw new InvalidLadderException("rung " + level.jsonName() + ": metric must not be null");
      }
      if (Double.isNaN(threshold) || threshold <= 0) {
        throw new InvalidLadderException(
            "rung "
                + level.jsonName()
                + ": "
                + metric.jsonName()
                + " threshold "
                + threshold
                + " must be above 0");
      }
      thresholds
          .computeIfAbsent(level, l -> new EnumMap<>(GovernanceMetric.class))
          .put(metric, threshold);
      rungs.remove(level);
      return this;
    }

    /** Sets how long an automatic action at {@code level} lasts unless renewed. */
    public Builder expiry(Level level, Duration expiry) {
      checkRungLevel(level);
      if (expiry == null || expiry.isNegative() || expiry.isZero()) {
        throw new InvalidLadderException(
            "rung " + level.jsonName() + ": expiry " + expiry + " must be positive");
      }
      expiries.put(level, expiry);
      thresholds.computeIfAbsent(level, l -> new EnumMap<>(GovernanceMetric.class));
      rungs.remove(level);
      return this;
    }

    /** Adds a whole rung, replacing any of its level. */
    public Builder rung(Rung rung) {
      InvalidGovernanceException.requireNonNull(rung, "rung");
      thresholds.put(rung.level(), new EnumMap<>(GovernanceMetric.class));
      thresholds.get(rung.level()).putAll(rung.thresholds());
      expiries.put(rung.level(), rung.expiry());
      rungs.put(rung.level(), rung);
      return this;
    }

    /**
     * Declares the rung of {@code level} as given whole by the JSON: its thresholds are the ones
     * set, none if none was (then {@link #build()} refuses it).
     */
    Builder declareRung(Level level) {
      thresholds.computeIfAbsent(level, l -> new EnumMap<>(GovernanceMetric.class));
      rungs.remove(level);
      return this;
    }

    /** Removes the rung of {@code level}. */
    public Builder withoutRung(Level level) {
      thresholds.remove(level);
      expiries.remove(level);
      rungs.remove(level);
      return this;
    }

    /** The fewest delivered messages in a window for it to be judged; at least 1. */
    public Builder minimumDelivered(long n) {
      if (n < 1) {
        throw new InvalidLadderException("minimumDelivered must be at least 1, was " + n);
      }
      this.minimumDelivered = n;
      return this;
    }

    /** The clean time before a step down; at least one day. */
    public Builder stepDownAfter(Duration d) {
      if (d == null || d.compareTo(Duration.ofDays(1)) < 0) {
        throw new InvalidLadderException("stepDownAfter must be at least 1 day, was " + d);
      }
      this.stepDownAfter = d;
      return this;
    }

    /** After how long without an open or click an address is inactive; at least one day. */
    public Builder inactiveAfter(Duration d) {
      if (d == null || d.compareTo(Duration.ofDays(1)) < 0) {
        throw new InvalidLadderException("inactiveAfter must be at least 1 day, was " + d);
      }
      this.inactiveAfter = d;
      return this;
    }

    /** {@code count} escalations to {@code level} within {@code within} call for a review. */
    public Builder repeatOffence(Level level, int count, Duration within) {
      checkRungLevel(level);
      if (count < 2) {
        throw new InvalidLadderException("repeatOffence count must be at least 2, was " + count);
      }
      if (within == null || within.compareTo(Duration.ofDays(1)) < 0) {
        throw new InvalidLadderException(
            "repeatOffence within must be at least 1 day, was " + within);
      }
      this.repeatLevel = level;
      this.repeatCount = count;
      this.repeatWithin = within;
      return this;
    }

    /** The share of its daily cap a restricted tenant keeps: above 0 and below 1. */
    public Builder restrictCapFactor(double f) {
      if (!(f > 0 && f < 1)) {
        throw new InvalidLadderException("restrictCapFactor must be above 0 and below 1, was " + f);
      }
      this.restrictCapFactor = f;
      return this;
    }

    /** The quarantine pool's name. */
    public Builder quarantinePool(String pool) {
      try {
        this.quarantinePool = MetricsKey.checkPool(pool);
      } catch (InvalidGovernanceException e) {
        throw new InvalidLadderException("quarantinePool: " + e.getMessage());
      }
      return this;
    }

    private static void checkRungLevel(Level level) {
      if (level == null) {
        throw new InvalidLadderException("level must not be null");
      }
      if (level == Level.NONE || level == Level.TERMINATE) {
        throw new InvalidLadderException(
            "rung "
                + level.jsonName()
                + " cannot be on the ladder: rungs are warn, restrict, quarantine and suspend"
                + " (termination is a human decision)");
      }
    }

    /**
     * The ladder; throws {@link InvalidLadderException} when it has no rung, when a rung has no
     * threshold, or when a metric's thresholds do not rise strictly with the level (overlapping
     * rungs), naming both rungs and the metric.
     */
    public Ladder build() {
      Map<Level, Rung> built = new EnumMap<>(Level.class);
      for (Map.Entry<Level, Map<GovernanceMetric, Double>> e : thresholds.entrySet()) {
        Level l = e.getKey();
        Rung r = rungs.get(l);
        if (r == null) {
          r = new Rung(l, e.getValue(), expiries.getOrDefault(l, defaultExpiry(l)));
        }
        if (r.thresholds().isEmpty()) {
          throw new InvalidLadderException(
              "rung " + l.jsonName() + " has no threshold: it could never be reached");
        }
        built.put(l, r);
      }
      if (built.isEmpty()) {
        throw new InvalidLadderException("a ladder needs at least one rung");
      }
      List<String> overlaps = new ArrayList<>();
      for (GovernanceMetric m : GovernanceMetric.values()) {
        Rung lower = null;
        for (Rung r : built.values()) {
          Optional<Double> t = r.threshold(m);
          if (t.isEmpty()) {
            continue;
          }
          if (lower != null && t.get() <= lower.threshold(m).get()) {
            overlaps.add(
                "rung "
                    + r.level().jsonName()
                    + "'s "
                    + m.jsonName()
                    + " threshold "
                    + t.get()
                    + " is not above rung "
                    + lower.level().jsonName()
                    + "'s "
                    + lower.threshold(m).get());
          }
          lower = r;
        }
      }
      if (!overlaps.isEmpty()) {
        throw new InvalidLadderException(
            "ladder rungs overlap (a metric's threshold must rise with the level): "
                + String.join("; ", overlaps));
      }
      rungs.clear();
      rungs.putAll(built);
      return new Ladder(this);
    }

    private static Duration defaultExpiry(Level l) {
      switch (l) {
        case RESTRICT:
          return DEFAULT_RESTRICT_EXPIRY;
        case QUARANTINE:
          return DEFAULT_QUARANTINE_EXPIRY;
        case SUSPEND:
          return DEFAULT_SUSPEND_EXPIRY;
        default:
          return DEFAULT_WARN_EXPIRY;
      }
    }
  }
}
