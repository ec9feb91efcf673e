package dev.steward.governance;

import java.util.Locale;

/**
 * A metric at or above a rung's threshold in one window: what caused a decision.
 *
 * @param value the metric's rate in the window
 * @param threshold the rung's threshold it reached
 * @param level the rung
 * @param numerator the events counted (spam reports, hard bounces, ...)
 * @param denominator the messages they are a share of (delivered or sent)
 */
public record Breach(
    GovernanceMetric metric,
    MetricWindow window,
    double value,
    double threshold,
    Level level,
    long numerator,
    long denominator) {

  /**
   * The breach in words: {@code spam-rate 0.31% (31 of 10000 delivered) over 7d reached the suspend
   * threshold 0.30%}.
   */
  public String explain() {
    return metric.jsonName()
        + " "
        + percent(value)
        + " ("
        + numerator
        + " of "
        + denominator
        + (metric.overDelivered() ? " delivered" : " sent")
        + ") over "
        + window.label()
        + " reached the "
        + level.jsonName()
        + " threshold "
        + percent(threshold);
  }

  static String percent(double rate) {
    return String.format(Locale.ROOT, "%.2f%%", rate * 100);
  }
}
