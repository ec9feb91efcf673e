package dev.steward.health;

import java.util.List;
import java.util.Optional;

/**
 * The change of a score against k periods (stored evaluations) ago, with a direction arrow that stays
 * flat within a dead band, so noise does not read as movement.
 */
public record HealthTrend(double current, double previous, double change, Direction direction, int periods) {

  /** Which way the score moved. */
  public enum Direction {
    UP("↑"),
    FLAT("→"),
    DOWN("↓");

    private final String arrow;

    Direction(String arrow) {
      this.arrow = arrow;
    }

    /** The arrow shown for this direction. */
    public String arrow() {
      return arrow;
    }
  }

  /**
   * The trend of the newest record in {@code history} (oldest first) against the record {@code
   * periods} before it; empty when there are too few records or either of the two is insufficient.
   * A change whose size is at most {@code deadBand} points is {@link Direction#FLAT}.
   */
  public static Optional<HealthTrend> of(List<HealthRecord> history, int periods, double deadBand) {
    if (periods < 1) {
      throw new IllegalArgumentException("periods must be at least 1, got " + periods);
    }
    if (!(deadBand >= 0)) {
      throw new IllegalArgumentException("deadBand must be >= 0, got " + deadBand);
    }
    int last = history.size() - 1;
    if (last - periods < 0) {
      return Optional.empty();
    }
    HealthRecord now = history.get(last);
    HealthRecord then = history.get(last - periods);
    if (!now.isScored() || !then.isScored()) {
      return Optional.empty();
    }
    double change = now.value() - then.value();
    Direction d = change > deadBand ? Direction.UP : change < -deadBand ? Direction.DOWN : Direction.FLAT;
    return Optional.of(new HealthTrend(now.value(), then.value(), change, d, periods));
  }
}
