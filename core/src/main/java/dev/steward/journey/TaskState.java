package dev.steward.journey;

/** Where a human task kept in a {@link TaskStore} stands. */
public enum TaskState {
  /** Created for its owner; nobody acted yet. */
  OPEN,
  /** Its owner was reminded ({@link TaskNotice.Type#REMINDER}). */
  REMINDED,
  /** Overdue, and moved to the second owner ({@link TaskNotice.Type#ESCALATED}). */
  ESCALATED,
  /** Its owner reported an outcome: sent as suggested, sent edited, or dismissed with a reason. */
  DONE,
  /** Nobody acted before the journey went on by the step's overdue path, or the journey ended. */
  EXPIRED;

  /** True for OPEN, REMINDED and ESCALATED: someone is still expected to act. */
  public boolean open() {
    return this == OPEN || this == REMINDED || this == ESCALATED;
  }
}
