package dev.steward.health;

import dev.steward.StewardException;

/**
 * A health store, monitor or aggregator was given an argument it refuses (null, blank, out of
 * range); the message names the argument. Thrown before anything is written.
 */
public class InvalidHealthInputException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidHealthInputException(String message) {
    super(message);
  }

  /** The value, or this exception naming {@code argument} when it is null. */
  public static <T> T requireNonNull(T value, String argument) {
    if (value == null) {
      throw new InvalidHealthInputException(argument + " must not be null");
    }
    return value;
  }
}
