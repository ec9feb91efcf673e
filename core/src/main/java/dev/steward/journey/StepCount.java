package dev.steward.journey;

import java.util.Optional;

/**
 * How many times a metric was counted at one step of one journey version.
 *
 * @param reason empty for the metric's total; else the count of one reason within it
 */
public record StepCount(String step, JourneyMetric metric, Optional<String> reason, long count) {
  public StepCount {
    InvalidJourneyException.requireNonNull(step, "step of a count");
    InvalidJourneyException.requireNonNull(metric, "metric of a count");
    reason = reason == null ? Optional.empty() : reason;
  }
}
