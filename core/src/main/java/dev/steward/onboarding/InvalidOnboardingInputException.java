package dev.steward.onboarding;

import dev.steward.StewardException;

/**
 * An onboarding call was given a value it cannot accept (null, blank, malformed domain, out of
 * range); the message names the field. Thrown before anything is written.
 */
public class InvalidOnboardingInputException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidOnboardingInputException(String message) {
    super(message);
  }
}
