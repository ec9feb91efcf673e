package dev.steward.journey;

/**
 * What an owner did with a human task, for {@link TaskDesk#complete}: sent the suggested email,
 * sent an edited one, or dismissed the task with a reason.
 */
public sealed interface TaskCompletion {

  /** The outcome the journey branches on. */
  TaskOutcome outcome();

  /** Sends the suggested email as it is. */
  static TaskCompletion sentAsSuggested() {
    return new SentAsSuggested();
  }

  /** Sends {@code email}, the owner's edit of the suggested one. */
  static TaskCompletion sentEdited(TaskEmail email) {
    return new SentEdited(email);
  }

  /** Dismisses the task: nothing is sent. */
  static TaskCompletion dismissed(String reason) {
    return new Dismissed(reason);
  }

  /** Sent as suggested. */
  record SentAsSuggested() implements TaskCompletion {
    @Override
    public TaskOutcome outcome() {
      return TaskOutcome.SENT_AS_SUGGESTED;
    }
  }

  /** Sent edited. */
  record SentEdited(TaskEmail email) implements TaskCompletion {
    public SentEdited {
      InvalidTaskException.require(email, "edited email");
    }

    @Override
    public TaskOutcome outcome() {
      return TaskOutcome.SENT_EDITED;
    }
  }

  /**
   * Dismissed, with a reason of 1 to {@value JourneyTask#MAX_REASON} characters, not blank, without
   * NUL.
   */
  record Dismissed(String reason) implements TaskCompletion {
    public Dismissed {
      InvalidTaskException.text(reason, "reason for dismissing a task", JourneyTask.MAX_REASON);
    }

    @Override
    public TaskOutcome outcome() {
      return TaskOutcome.DISMISSED;
    }
  }
}
