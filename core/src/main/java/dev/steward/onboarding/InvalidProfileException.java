package dev.steward.onboarding;

/** A tenant profile is incomplete or holds a bad value; {@link #field()} names which. */
public class InvalidProfileException extends InvalidOnboardingInputException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidProfileException(String field, String problem) {
    super("tenant profile field '" + field + "' " + problem);
    this.field = field;
  }

  /** The profile field at fault, e.g. {@code senderDomains[1]}. */
  public String field() {
    return field;
  }
}
