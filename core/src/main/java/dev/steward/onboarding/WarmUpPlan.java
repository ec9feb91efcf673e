package dev.steward.onboarding;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The pilot's warm-up plan, as data: the daily cap of each stage (rising), the share of a stage's
 * volume that must be delivered before the tenant moves on, how many whole days without mail send a
 * tenant back to the first stage, and the burst a tenant may send ahead of the even pace over the
 * day. Days are UTC days, as governance's daily buckets are. Built with {@link #builder()}, which
 * names the setting of a bad plan ({@link InvalidWarmUpPlanException}); {@link #ofDefaults()} is
 * the plan of the ISV framework.
 */
public final class WarmUpPlan {
  /** The default stages: 200, 500, 1k, 2k, 5k, 10k, 20k, 40k messages a day. */
  public static final List<Long> DEFAULT_STAGES =
      List.of(200L, 500L, 1_000L, 2_000L, 5_000L, 10_000L, 20_000L, 40_000L);

  /** A stage advances when at least this share of its daily cap was delivered: 90%. */
  public static final double DEFAULT_ADVANCE_AT = 0.9;

  /** Whole days without mail after which the warm-up starts again from the first stage: 30. */
  public static final int DEFAULT_IDLE_DAYS = 30;

  /**
   * How far ahead of the even pace a tenant may send: one hour's share of the day's cap (at least
   * one message).
   */
  public static final Duration DEFAULT_BURST = Duration.ofHours(1);

  /** The longest plan accepted. */
  public static final int MAX_STAGES = 100;

  private static final Duration DAY = Duration.ofDays(1);
  private static final long DAY_NANOS = DAY.toNanos();

  private final List<Long> stages;
  private final double advanceAt;
  private final int idleDays;
  private final Duration burst;

  private WarmUpPlan(Builder b) {
    this.stages = List.copyOf(b.stages);
    this.advanceAt = b.advanceAt;
    this.idleDays = b.idleDays;
    this.burst = b.burst;
  }

  /** The default plan: {@link #DEFAULT_STAGES} and the other defaults. */
  public static WarmUpPlan ofDefaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The daily caps of the stages, first stage first. */
  public List<Long> stages() {
    return stages;
  }

  /** The number of stages. */
  public int size() {
    return stages.size();
  }

  /** The daily cap of {@code stage} (0 is the first). */
  public long cap(int stage) {
    if (stage < 0 || stage >= stages.size()) {
      throw new InvalidWarmUpPlanException(
          "stage " + stage + " is not in the plan's 0.." + (stages.size() - 1));
    }
    return stages.get(stage);
  }

  /** The share of a stage's daily cap that must be delivered before the tenant moves on. */
  public double advanceAt() {
    return advanceAt;
  }

  /** How many delivered messages a day at {@code stage} let the tenant move on. */
  public long deliveredToAdvance(int stage) {
    return (long) Math.ceil(cap(stage) * advanceAt - 1e-9);
  }

  /** Whole days without mail after which the warm-up starts again. */
  public int idleDays() {
    return idleDays;
  }

  /** How far ahead of the even pace a tenant may send. */
  public Duration burst() {
    return burst;
  }

  /** The messages a tenant with daily cap {@code cap} may send ahead of the pace: at least 1. */
  public long burstOf(long cap) {
    long b = mulDiv(cap, Math.min(burst.toNanos(), DAY_NANOS), DAY_NANOS, true);
    return Math.max(1, Math.min(cap, b));
  }

  /**
   * How many messages of a day with cap {@code cap} may have gone by {@code elapsed} into the day:
   * the cap's share of the elapsed day, plus the burst, at most the cap.
   */
  public long allowedBy(long cap, Duration elapsed) {
    long e = elapsed.isNegative() ? 0 : Math.min(nanos(elapsed), DAY_NANOS);
    long paced = mulDiv(cap, e, DAY_NANOS, false);
    return Math.min(cap, paced + burstOf(cap));
  }

  /**
   * How far into the day {@code used} messages may have gone and one more fit under the pace of
   * {@code cap}; {@link Duration#ZERO} if it fits at once, a day or more if only tomorrow.
   */
  public Duration whenNextFits(long cap, long used) {
    if (used >= cap) {
      return DAY;
    }
    long needPaced = used + 1 - burstOf(cap);
    if (needPaced <= 0) {
      return Duration.ZERO;
    }
    // the first instant at which floor(cap * share) >= needPaced
    long nanos = mulDiv(needPaced, DAY_NANOS, cap, true);
    return Duration.ofNanos(Math.min(nanos, DAY_NANOS));
  }

  /**
   * {@code a * b / c} rounded down (or up) in exact integer arithmetic, so that {@link
   * #whenNextFits} and {@link #allowedBy} agree to the nanosecond (doubles rounded twice do not).
   */
  private static long mulDiv(long a, long b, long c, boolean up) {
    BigInteger[] qr =
        BigInteger.valueOf(a)
            .multiply(BigInteger.valueOf(b))
            .divideAndRemainder(BigInteger.valueOf(c));
    BigInteger q = up && qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    return q.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
  }

  private static long nanos(Duration d) {
    return d.compareTo(DAY) >= 0 ? DAY_NANOS : d.toNanos();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarmUpPlan p
        && stages.equals(p.stages)
        && advanceAt == p.advanceAt
        && idleDays == p.idleDays
        && burst.equals(p.burst);
  }

  @Override
  public int hashCode() {
    return stages.hashCode() * 31 + idleDays;
  }

  @Override
  public String toString() {
    return "WarmUpPlan"
        + stages
        + " per day, advance at "
        + advanceAt
        + " delivered, restart after "
        + idleDays
        + " idle days, burst "
        + burst;
  }

  /** Configures a {@link WarmUpPlan}; every setter checks its value at once. */
  public static final class Builder {
    private List<Long> stages = DEFAULT_STAGES;
    private double advanceAt = DEFAULT_ADVANCE_AT;
    private int idleDays = DEFAULT_IDLE_DAYS;
    private Duration burst = DEFAULT_BURST;

    private Builder() {}

    /** The daily caps of the stages, each above 0 and above the one before; 1 to 100 of them. */
    public Builder stages(List<Long> dailyCaps) {
      if (dailyCaps == null) {
        throw new InvalidWarmUpPlanException("stages must not be null");
      }
      if (dailyCaps.isEmpty()) {
        throw new InvalidWarmUpPlanException("stages must hold at least one daily cap");
      }
      if (dailyCaps.size() > MAX_STAGES) {
        throw new InvalidWarmUpPlanException(
            "stages holds " + dailyCaps.size() + " daily caps; at most " + MAX_STAGES);
      }
      List<Long> copy = new ArrayList<>(dailyCaps.size());
      for (int i = 0; i < dailyCaps.size(); i++) {
        Long cap = dailyCaps.get(i);
        if (cap == null) {
          throw new InvalidWarmUpPlanException("stages[" + i + "] must not be null");
        }
        if (cap < 1) {
          throw new InvalidWarmUpPlanException(
              "stages[" + i + "] is " + cap + "; a daily cap must be at least 1");
        }
        if (i > 0 && cap <= copy.get(i - 1)) {
          throw new InvalidWarmUpPlanException(
              "stages["
                  + i
                  + "] is "
                  + cap
                  + ", not above stages["
                  + (i - 1)
                  + "] ("
                  + copy.get(i - 1)
                  + "): a warm-up's daily caps must rise from stage to stage");
        }
        copy.add(cap);
      }
      this.stages = List.copyOf(copy);
      return this;
    }

    /** The daily caps of the stages (see {@link #stages(List)}). */
    public Builder stages(long... dailyCaps) {
      if (dailyCaps == null) {
        throw new InvalidWarmUpPlanException("stages must not be null");
      }
      List<Long> l = new ArrayList<>();
      for (long c : dailyCaps) {
        l.add(c);
      }
      return stages(l);
    }

    /** The share of a stage's cap to deliver before moving on; above 0, at most 1 (default 0.9). */
    public Builder advanceAt(double share) {
      if (Double.isNaN(share) || share <= 0 || share > 1) {
        throw new InvalidWarmUpPlanException(
            "advanceAt is " + share + "; it must be above 0 and at most 1 (0.9 is 90%)");
      }
      this.advanceAt = share;
      return this;
    }

    /** Whole days without mail that restart the warm-up; at least 1 (default 30). */
    public Builder idleDays(int days) {
      if (days < 1) {
        throw new InvalidWarmUpPlanException("idleDays is " + days + "; it must be at least 1");
      }
      this.idleDays = days;
      return this;
    }

    /** How far ahead of the even pace a tenant may send; zero to one day (default 1 hour). */
    public Builder burst(Duration burst) {
      if (burst == null) {
        throw new InvalidWarmUpPlanException("burst must not be null");
      }
      if (burst.isNegative() || burst.compareTo(DAY) > 0) {
        throw new InvalidWarmUpPlanException(
            "burst is " + burst + "; it must be between zero and one day");
      }
      this.burst = burst;
      return this;
    }

    /** The plan. */
    public WarmUpPlan build() {
      return new WarmUpPlan(this);
    }
  }
}
