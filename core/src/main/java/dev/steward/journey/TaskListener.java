package dev.steward.journey;

/**
 * Hears the reminders and escalations of human tasks (to mail or message the owner, put the task on
 * a CSM's list). Each change of a task is made once across instances (a compare-and-set in the
 * {@link TaskStore}); its notice is told at least once, de-duplicated by id: the notice is kept as
 * due work from before the change is stored until a listener call returns, so an instance that
 * dies, or loses its connection, between storing the change and telling it leaves the notice to be
 * told by another, and a listener that throws is told it again later, with back-off ({@link
 * TaskDesk#NOTICE_RETRY}). A listener may therefore hear one notice more than once and
 * de-duplicates on {@link TaskNotice#id()}. Called on the due-work runner's threads: return soon.
 */
@FunctionalInterface
public interface TaskListener {
  /** A listener that hears nothing. */
  TaskListener NONE = notice -> {};

  /** A task's owner is to be reminded, or the task moved to its second owner. */
  void onTask(TaskNotice notice);
}
