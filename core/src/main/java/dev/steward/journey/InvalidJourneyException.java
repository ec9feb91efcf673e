package dev.steward.journey;

import dev.steward.StewardException;

/**
 * A journey definition, its JSON, or an argument given to the scheduler or a journey store cannot
 * be accepted; the message names the journey, the step or the field and what is wrong with it.
 * Thrown before anything is written.
 */
public class InvalidJourneyException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidJourneyException(String message) {
    super(message);
  }

  public InvalidJourneyException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Returns {@code value}, or throws this exception saying that {@code what} must not be null. */
  public static <T> T requireNonNull(T value, String what) {
    if (value == null) {
      throw new InvalidJourneyException(what + " must not be null");
    }
    return value;
  }
}
