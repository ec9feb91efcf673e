package dev.steward.journey;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The counts of one step of a journey version, with their breakdown by reason, and the rates read
 * from them.
 *
 * @param counts each metric's total (a metric never counted is absent)
 * @param reasons each metric's counts by reason (deferral rule, skip cause, exit criterion, goal)
 */
public record StepFunnel(
    String step, Map<JourneyMetric, Long> counts, Map<JourneyMetric, Map<String, Long>> reasons) {

  public StepFunnel {
    InvalidJourneyException.requireNonNull(step, "step of a funnel");
    counts = Collections.unmodifiableMap(new EnumMap<>(copy(counts)));
    Map<JourneyMetric, Map<String, Long>> r = new EnumMap<>(JourneyMetric.class);
    if (reasons != null) {
      reasons.forEach(
          (m, byReason) -> r.put(m, Collections.unmodifiableMap(new TreeMap<>(byReason))));
    }
    reasons = Collections.unmodifiableMap(r);
  }

  private static Map<JourneyMetric, Long> copy(Map<JourneyMetric, Long> in) {
    Map<JourneyMetric, Long> out = new EnumMap<>(JourneyMetric.class);
    if (in != null) {
      out.putAll(in);
    }
    return out;
  }

  /** How many times {@code metric} was counted at this step. */
  public long count(JourneyMetric metric) {
    return counts.getOrDefault(metric, 0L);
  }

  /** The counts of {@code metric} by reason, in reason order; empty if it has none. */
  public Map<String, Long> reasons(JourneyMetric metric) {
    return reasons.getOrDefault(metric, Map.of());
  }

  /**
   * The rate of a message metric: opens and clicks per delivered message; deliveries, replies,
   * bounces, spam reports and unsubscribes per sent message. Empty for the other metrics, and when
   * nothing was delivered (or sent) yet.
   */
  public OptionalDouble rate(JourneyMetric metric) {
    long base =
        switch (metric) {
          case OPENED, CLICKED -> count(JourneyMetric.DELIVERED);
          case DELIVERED, REPLIED, BOUNCED, SPAM_REPORTED, UNSUBSCRIBED ->
              count(JourneyMetric.SENT);
          default -> 0;
        };
    return base == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) count(metric) / base);
  }
}
