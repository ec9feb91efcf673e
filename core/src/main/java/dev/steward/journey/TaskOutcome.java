package dev.steward.journey;

/** What the owner of a journey's human task did with it. */
public enum TaskOutcome {
  /** Sent the suggested email as it was. */
  SENT_AS_SUGGESTED,
  /** Edited the suggested email, then sent it. */
  SENT_EDITED,
  /** Dismissed the task, with a reason. */
  DISMISSED
}
