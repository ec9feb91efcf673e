package dev.steward.calendar;

import dev.steward.StewardException;

/**
 * The communication calendar was given an entry or a rule it cannot accept; the message names the
 * field and the problem. Thrown before anything is stored.
 */
public class InvalidCalendarException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidCalendarException(String message) {
    super(message);
  }

  /** As above, with the model's refusal that showed the problem. */
  public InvalidCalendarException(String message, Throwable cause) {
    super(message, cause);
  }
}
