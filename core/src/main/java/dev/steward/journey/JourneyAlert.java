package dev.steward.journey;

import dev.steward.model.TenantId;

/**
 * A step of a journey version missed a benchmark: which, by how much, over how many messages.
 *
 * @param value the step's rate (0.12 is 12%)
 * @param benchmark the benchmark's bound it crossed (for a spike, the rest of the journey's rate
 *     times the spike factor)
 * @param volume the messages the rate is over: delivered for opens and clicks, sent for
 *     unsubscribes
 * @param explanation a sentence a person can read: metric, value, benchmark, step
 */
public record JourneyAlert(
    TenantId tenant,
    JourneyStepRef step,
    JourneyAlertKind kind,
    double value,
    double benchmark,
    long volume,
    String explanation) {

  public JourneyAlert {
    InvalidJourneyException.requireNonNull(tenant, "tenant of an alert");
    InvalidJourneyException.requireNonNull(step, "step of an alert");
    InvalidJourneyException.requireNonNull(kind, "kind of an alert");
    InvalidJourneyException.requireNonNull(explanation, "explanation of an alert");
  }
}
