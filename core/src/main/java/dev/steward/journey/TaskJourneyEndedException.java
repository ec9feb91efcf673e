package dev.steward.journey;

import dev.steward.StewardException;

/**
 * A human task cannot be completed because its enrolment no longer waits on it (the journey exited,
 * completed or went on by the overdue path); nothing was changed.
 */
public class TaskJourneyEndedException extends StewardException {
  private static final long serialVersionUID = 1L;

  public TaskJourneyEndedException(String message) {
    super(message);
  }
}
