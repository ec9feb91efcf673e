package dev.steward.consent;

import dev.steward.StewardException;

/**
 * A consent change was given input it cannot accept; the message names the field and the problem.
 */
public class InvalidConsentException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidConsentException(String message) {
    super(message);
  }

  public InvalidConsentException(String message, Throwable cause) {
    super(message, cause);
  }
}
