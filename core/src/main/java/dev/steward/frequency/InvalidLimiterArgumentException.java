package dev.steward.frequency;

import dev.steward.StewardException;

/**
 * The frequency limiter or a cap ledger store was given an argument it cannot take (null, blank,
 * too long, a control character, an instant no store can hold); the message names the argument.
 * Thrown before anything is written, by every store alike.
 */
public class InvalidLimiterArgumentException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidLimiterArgumentException(String message) {
    super(message);
  }
}
