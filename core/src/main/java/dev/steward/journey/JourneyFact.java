package dev.steward.journey;

import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * One thing journey analytics counts: {@code metric} happened to {@code subject} (a message id for
 * message metrics, an enrolment id for the others) at {@code step}.
 *
 * @param reason why, for the metrics that are broken down by reason (a deferral's rule, a skip's
 *     cause, an exit criterion, a goal), at most {@value #MAX_REASON} characters
 * @param at when it happened
 */
public record JourneyFact(
    TenantId tenant,
    String subject,
    JourneyStepRef step,
    JourneyMetric metric,
    Optional<String> reason,
    Instant at) {

  /** The longest subject (a message id or an enrolment id). */
  public static final int MAX_SUBJECT = 200;

  /** The longest reason. */
  public static final int MAX_REASON = 200;

  public JourneyFact {
    InvalidJourneyException.requireNonNull(tenant, "tenant of a journey fact");
    if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT) {
      throw new InvalidJourneyException(
          "subject of a journey fact must be 1 to " + MAX_SUBJECT + " characters, was " + subject);
    }
    ContactProfile.checkAttribute(subject, "subject of a journey fact");
    InvalidJourneyException.requireNonNull(step, "step of a journey fact");
    InvalidJourneyException.requireNonNull(metric, "metric of a journey fact");
    reason =
        reason == null ? Optional.empty() : reason.map(JourneyFact::cut).filter(r -> !r.isEmpty());
    if (reason.isPresent()) {
      ContactProfile.checkAttribute(reason.get(), "reason of a journey fact");
    }
    String problem = StoreLimits.instantProblem(at); // cpu14: the message built only on failure
    if (problem != null) {
      throw new InvalidJourneyException(
          "time of the journey fact " + metric + " of " + subject + " " + problem);
    }
  }

  /** A fact without a reason. */
  public static JourneyFact of(
      TenantId tenant, String subject, JourneyStepRef step, JourneyMetric metric, Instant at) {
    return new JourneyFact(tenant, subject, step, metric, Optional.empty(), at);
  }

  /** A blank reason is none; a long one is cut, keeping no half of a surrogate pair. */
  private static String cut(String r) {
    String s = r.strip();
    if (s.length() <= MAX_REASON) {
      return s;
    }
    int end = MAX_REASON;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }
}
