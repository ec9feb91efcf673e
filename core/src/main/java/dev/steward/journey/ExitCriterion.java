package dev.steward.journey;

/**
 * A reason to leave a journey (renewal signed, churned, unsubscribed), checked before every step.
 *
 * @param name the criterion's name, recorded as the reason of the exit
 * @param when the condition over the contact's attributes that makes the contact leave
 */
public record ExitCriterion(String name, Condition when) {
  public ExitCriterion {
    if (name == null || name.isBlank()) {
      throw new InvalidJourneyException("an exit criterion must have a name");
    }
    InvalidJourneyException.requireNonNull(when, "the condition of exit criterion '" + name + "'");
  }
}
