package dev.steward.journey;

import java.time.Instant;

/**
 * What a {@link TaskListener} hears about a human task.
 *
 * @param recipient whom it is for: the owner for a reminder, the second owner for an escalation
 * @param task the task as stored after the change
 */
public record TaskNotice(Type type, String recipient, JourneyTask task, Instant at) {

  /** The kinds of notice. */
  public enum Type {
    /** The task's reminder time came and nobody had acted: remind its owner. */
    REMINDER,
    /** The task is overdue and moved to its second owner. */
    ESCALATED
  }

  public TaskNotice {
    InvalidTaskException.require(type, "type of a task notice");
    InvalidTaskException.require(recipient, "recipient of a task notice");
    InvalidTaskException.require(task, "task of a task notice");
    InvalidTaskException.require(at, "time of a task notice");
  }
}
