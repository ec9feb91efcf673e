package dev.steward.journey;

import dev.steward.StewardException;

/**
 * The email of a completed human task was refused by the transport (FAILED); the task stays open
 * and nothing else was changed, so it can be completed again.
 */
public class TaskSendFailedException extends StewardException {
  private static final long serialVersionUID = 1L;

  public TaskSendFailedException(String message) {
    super(message);
  }
}
