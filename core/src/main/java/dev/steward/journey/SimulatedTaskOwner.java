package dev.steward.journey;

import java.time.Duration;

/**
 * A person who owns human tasks in a {@link JourneySimulation}: the owner a task step names through
 * the contact's owner attribute (as in production), how long after a task is created the owner
 * acts, and how often each outcome happens (weights, drawn from the simulation's seeded random per
 * task). An ignored task runs overdue: it is escalated to the second owner and the journey takes
 * the step's overdue path, as the task store's policy says. Tasks of owners the simulation does not
 * know are ignored too.
 *
 * <pre>{@code
 * SimulatedTaskOwner.of("csm-alice", Duration.ofHours(20))
 *     .weights(6, 2, 1, 1) // sent as suggested, sent edited, dismissed, ignored
 *     .dismissedBecause("customer on holiday");
 * }</pre>
 *
 * @param owner the owner id, the value of the contact's owner attribute
 * @param responseDelay how long after a task is created the owner completes it
 * @param sentAsSuggested the weight of sending the suggested email
 * @param sentEdited the weight of sending an edited email
 * @param dismissed the weight of dismissing the task with {@code dismissReason}
 * @param ignored the weight of doing nothing: the task runs overdue
 * @param dismissReason the reason given with a dismissal
 */
public record SimulatedTaskOwner(
    String owner,
    Duration responseDelay,
    double sentAsSuggested,
    double sentEdited,
    double dismissed,
    double ignored,
    String dismissReason) {

  /** The reason of a dismissal unless set. */
  public static final String DEFAULT_DISMISS_REASON = "dismissed in the simulation";

  public SimulatedTaskOwner {
    InvalidJourneyException.requireNonNull(owner, "task owner: id");
    if (owner.isBlank() || owner.length() > JourneyTask.MAX_OWNER) {
      throw new InvalidJourneyException(
          "task owner: id must be 1 to "
              + JourneyTask.MAX_OWNER
              + " characters, was '"
              + owner
              + "'");
    }
    String who = "task owner " + owner + ": ";
    InvalidJourneyException.requireNonNull(responseDelay, who + "response delay");
    if (responseDelay.isNegative()) {
      throw new InvalidJourneyException(
          who + "response delay must not be negative, was " + responseDelay);
    }
    weight(sentAsSuggested, who + "weight of sent as suggested");
    weight(sentEdited, who + "weight of sent edited");
    weight(dismissed, who + "weight of dismissed");
    weight(ignored, who + "weight of ignored");
    if (!(sentAsSuggested + sentEdited + dismissed + ignored > 0)) {
      throw new InvalidJourneyException(
          who
              + "the outcome weights (sent as suggested, sent edited, dismissed, ignored) sum to 0");
    }
    InvalidJourneyException.requireNonNull(dismissReason, who + "dismiss reason");
    if (dismissReason.isBlank() || dismissReason.length() > JourneyTask.MAX_REASON) {
      throw new InvalidJourneyException(
          who + "dismiss reason must be 1 to " + JourneyTask.MAX_REASON + " characters, not blank");
    }
  }

  /** An owner who sends every task's suggested email {@code responseDelay} after its creation. */
  public static SimulatedTaskOwner of(String owner, Duration responseDelay) {
    return new SimulatedTaskOwner(owner, responseDelay, 1, 0, 0, 0, DEFAULT_DISMISS_REASON);
  }

  /** A copy with these outcome weights (each 0 or more, not all 0). */
  public SimulatedTaskOwner weights(
      double sentAsSuggested, double sentEdited, double dismissed, double ignored) {
    return new SimulatedTaskOwner(
        owner, responseDelay, sentAsSuggested, sentEdited, dismissed, ignored, dismissReason);
  }

  /** A copy that gives {@code reason} when it dismisses a task. */
  public SimulatedTaskOwner dismissedBecause(String reason) {
    return new SimulatedTaskOwner(
        owner, responseDelay, sentAsSuggested, sentEdited, dismissed, ignored, reason);
  }

  /** The outcome for a draw {@code x} in [0, 1); empty: ignored. */
  java.util.Optional<TaskOutcome> outcome(double x) {
    double at = x * (sentAsSuggested + sentEdited + dismissed + ignored);
    if (at < sentAsSuggested) {
      return java.util.Optional.of(TaskOutcome.SENT_AS_SUGGESTED);
    }
    if (at < sentAsSuggested + sentEdited) {
      return java.util.Optional.of(TaskOutcome.SENT_EDITED);
    }
    if (at < sentAsSuggested + sentEdited + dismissed) {
      return java.util.Optional.of(TaskOutcome.DISMISSED);
    }
    return java.util.Optional.empty();
  }

  private static void weight(double w, String field) {
    if (!(w >= 0 && Double.isFinite(w))) {
      throw new InvalidJourneyException(field + " must be a finite number, 0 or more, was " + w);
    }
  }
}
