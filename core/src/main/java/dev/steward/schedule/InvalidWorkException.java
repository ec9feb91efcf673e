package dev.steward.schedule;

import dev.steward.StewardException;

/** A work item, kind, payload or engine setting is invalid; nothing was written. */
public class InvalidWorkException extends StewardException {
  private static final long serialVersionUID = 1L;

  public InvalidWorkException(String message) {
    super(message);
  }

  public InvalidWorkException(String message, Throwable cause) {
    super(message, cause);
  }
}
