package dev.steward.journey;

import dev.steward.StewardException;

/** No human task of that id is kept for the tenant (never created, or erased). */
public class TaskNotFoundException extends StewardException {
  private static final long serialVersionUID = 1L;

  public TaskNotFoundException(String message) {
    super(message);
  }
}
