package dev.steward.schedule;

/** Where a stored work item stands. */
public enum WorkState {
  /** Waiting for its due time, or due and waiting for (or held by) a runner. */
  READY,
  /** Gave up: its attempts ran out or its handler failed it; kept for operators to look at. */
  DEAD
}
