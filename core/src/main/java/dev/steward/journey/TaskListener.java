package dev.steward.journey;

/**
 * Hears the reminders and escalations of human tasks (to mail or message the owner, put the task on
 * a CSM's list). Each change of a task is made once across instances (a compare-and-set in the
 * {@link TaskStore}) and heard once, by the instance that made it, after it is stored; an instance
 * that dies between storing the change and calling the listener leaves that notice unheard, never
 * heard twice. Called on the due-work runner's threads: return soon.
 */
@FunctionalInterface
public interface TaskListener {
  /** A listener that hears nothing. */
  TaskListener NONE = notice -> {};

  /** A task's owner is to be reminded, or the task moved to its second owner. */
  void onTask(TaskNotice notice);
}
