package dev.steward.journey;

import dev.steward.model.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The analytics of one journey version of a tenant, step by step ({@link JourneyAnalytics#funnel}):
 * in the definition's step order when the definition is known, else by step id.
 */
public record JourneyFunnel(TenantId tenant, String journey, int version, List<StepFunnel> steps) {

  public JourneyFunnel {
    InvalidJourneyException.requireNonNull(tenant, "tenant of a funnel");
    JourneyDefinition.checkJourneyId(journey);
    steps = List.copyOf(steps);
  }

  /** A step's counts; empty if nothing was counted at it. */
  public Optional<StepFunnel> step(String stepId) {
    return steps.stream().filter(s -> s.step().equals(stepId)).findFirst();
  }

  /** The total of {@code metric} over every step. */
  public long total(JourneyMetric metric) {
    return steps.stream().mapToLong(s -> s.count(metric)).sum();
  }

  /** The share of enrolments that reached a goal; empty while none entered. */
  public OptionalDouble goalRate() {
    long entered = total(JourneyMetric.ENTERED);
    return entered == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of((double) total(JourneyMetric.GOAL_REACHED) / entered);
  }
}
