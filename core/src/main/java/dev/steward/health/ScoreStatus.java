package dev.steward.health;

/** Whether a health score has a value. */
public enum ScoreStatus {
  /** Enough of the scorecard's weight had data: the score has a value. */
  SCORED,
  /** Coverage fell below the scorecard's minimum: no value, never a silent number. */
  INSUFFICIENT
}
