package dev.steward.governance;

/**
 * A key's counts over one window, and whether they hold enough delivered mail to be judged.
 *
 * @param sufficient true if the window holds at least the ladder's minimum of delivered messages
 */
public record WindowReading(MetricWindow window, MetricCounts counts, boolean sufficient) {

  /** The metric's rate in this window. */
  public double value(GovernanceMetric metric) {
    return metric.valueOf(counts);
  }
}
