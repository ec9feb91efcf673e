package dev.steward.governance;

import dev.steward.StewardException;

/** Governance was given input it cannot use; the message names the field and the problem. */
public class InvalidGovernanceException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidGovernanceException(String message) {
    super(message);
  }

  static <T> T requireNonNull(T value, String what) {
    if (value == null) {
      throw new InvalidGovernanceException(what + " must not be null");
    }
    return value;
  }
}
