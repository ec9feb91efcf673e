package dev.steward.frequency;

import dev.steward.StewardException;

/** A frequency-cap policy is invalid; the message names the field and the problem. */
public final class InvalidPolicyException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidPolicyException(String message) {
    super(message);
  }

  public InvalidPolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
