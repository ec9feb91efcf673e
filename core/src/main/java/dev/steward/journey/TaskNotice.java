package dev.steward.journey;

import java.time.Instant;

/**
 * What a {@link TaskListener} hears about a human task. Notices are told at least once: a listener
 * may hear one again (after it threw, or after an instance died while telling it) and de-duplicates
 * on {@link #id()}, which is the same every time one change of one task is told.
 *
 * @param recipient whom it is for: the owner for a reminder, the second owner for an escalation
 * @param task the task as stored when the notice is told: the change it announces is on it, and it
 *     may have moved on since (a reminded task escalated or completed meanwhile)
 * @param at when the change was made (first tried, if the first try failed before it was stored)
 * @param id the notice's id, stable across retries and instances: the tenant, the task id and the
 *     type
 */
public record TaskNotice(Type type, String recipient, JourneyTask task, Instant at, String id) {

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
    InvalidTaskException.require(id, "id of a task notice");
  }
}
