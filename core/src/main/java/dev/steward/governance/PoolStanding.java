package dev.steward.governance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An IP pool's own standing: every tenant's mail through the pool ({@link MetricsKey#pool}) judged
 * on the tenants' ladder thresholds. Unlike a tenant's {@link Standing} it is not stored and has no
 * history: it is read from the pool's current windows whenever it is asked for, so a pool recovers
 * as soon as its windows do (the tenants it holds carry the hysteresis). Below the ladder's minimum
 * of delivered mail in every window it is {@link Level#NONE} with {@link #insufficientData()}.
 *
 * @param pool the pool's name
 * @param level the highest rung any metric reaches in a judged window; {@link Level#NONE} when none
 *     does or no window can be judged
 * @param breaches every metric at or above a rung, highest rung first, then furthest above its
 *     threshold
 * @param readings the pool's readings over governance's windows
 * @param at when the windows were read
 */
public record PoolStanding(
    String pool, Level level, List<Breach> breaches, List<WindowReading> readings, Instant at) {

  public PoolStanding {
    MetricsKey.checkPool(pool);
    InvalidGovernanceException.requireNonNull(level, "pool standing level");
    breaches = List.copyOf(InvalidGovernanceException.requireNonNull(breaches, "pool breaches"));
    readings = List.copyOf(InvalidGovernanceException.requireNonNull(readings, "pool readings"));
    InvalidGovernanceException.requireNonNull(at, "pool standing time");
  }

  /**
   * The pool's standing now: its windows read from {@code metrics} and judged on {@code ladder}'s
   * thresholds and minimum volume.
   */
  public static PoolStanding read(
      GovernanceMetricsStore metrics, String pool, Ladder ladder, Instant now) {
    InvalidGovernanceException.requireNonNull(metrics, "metrics");
    InvalidGovernanceException.requireNonNull(ladder, "ladder");
    InvalidGovernanceException.requireNonNull(now, "now");
    MetricsKey key = MetricsKey.pool(pool);
    List<WindowReading> readings = new ArrayList<>();
    for (MetricWindow w : MetricWindow.values()) {
      MetricCounts c = w.read(metrics, key, now);
      readings.add(new WindowReading(w, c, c.delivered() >= ladder.minimumDelivered()));
    }
    return judge(pool, readings, ladder, now);
  }

  /** The standing of a pool with these readings on {@code ladder}'s thresholds. */
  public static PoolStanding judge(
      String pool, List<WindowReading> readings, Ladder ladder, Instant at) {
    InvalidGovernanceException.requireNonNull(readings, "readings");
    InvalidGovernanceException.requireNonNull(ladder, "ladder");
    List<Breach> breaches = new StandingDecider(ladder).breaches(readings);
    Level level = breaches.isEmpty() ? Level.NONE : breaches.get(0).level();
    return new PoolStanding(pool, level, breaches, readings, at);
  }

  /** True if no window holds enough delivered mail to be judged. */
  public boolean insufficientData() {
    return readings.stream().noneMatch(WindowReading::sufficient);
  }

  /** True if the pool stands at {@code other} or above. */
  public boolean atLeast(Level other) {
    return level.compareTo(other) >= 0;
  }

  /**
   * The standing in words: the metric, value, threshold and window of each breach of its level,
   * "insufficient data" with the volume seen, or that every metric is below its warn threshold.
   */
  public String explanation() {
    if (insufficientData()) {
      long most = readings.stream().mapToLong(r -> r.counts().delivered()).max().orElse(0);
      return "pool "
          + pool
          + ": insufficient data ("
          + most
          + " delivered in its fullest window; a window is judged from its minimum volume)";
    }
    if (breaches.isEmpty()) {
      return "pool " + pool + ": every metric below its warn threshold";
    }
    return "pool " + pool + " " + level.jsonName() + ": " + Explanations.explainAt(breaches, level);
  }
}
