package dev.steward.journey;

import dev.steward.StewardException;

/** A human task cannot be completed: it was completed already, or expired; nothing was changed. */
public class TaskClosedException extends StewardException {
  private static final long serialVersionUID = 1L;

  public TaskClosedException(String message) {
    super(message);
  }
}
