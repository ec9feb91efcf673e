package dev.steward.journey;

/**
 * A reason to leave a journey (renewal signed, churned, unsubscribed), checked before every step.
 *
 * @param name the criterion's name, recorded as the reason of the exit
 * @param when the condition over the contact's attributes that makes the contact leave
 */
public record ExitCriterion(String name, Condition when) {
  /** The longest criterion name: it is stored as the reason of the exit. */
  public static final int MAX_NAME = 200;

  public ExitCriterion {
    if (name == null || name.isBlank()) {
      throw new InvalidJourneyException("an exit criterion must have a name");
    }
    // the name becomes the stored exit reason: bounded and storable, so every store can hold it
    if (name.length() > MAX_NAME) {
      throw new InvalidJourneyException(
          "exit criterion name is " + name.length() + " characters; at most " + MAX_NAME);
    }
    ContactProfile.checkAttribute(name, "exit criterion name");
    InvalidJourneyException.requireNonNull(when, "the condition of exit criterion '" + name + "'");
  }
}
