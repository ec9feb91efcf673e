package dev.steward.governance;

/** Why a tenant's standing changed (or stayed). */
public enum Cause {
  /** Metrics called for a higher rung. */
  ESCALATED,
  /** Repeat offences called for a termination review: sending suspended until a human decides. */
  TERMINATION_REVIEW,
  /** Clean for the ladder's step-down time: one rung down. */
  STEPPED_DOWN,
  /** The automatic action expired without being renewed: one rung down. */
  EXPIRED,
  /** Metrics still call for the current rung: its expiry moves on. */
  RENEWED,
  /** A human set the level, with a reason. */
  OVERRIDDEN,
  /** A human's override ended (cleared or past its end): automatic evaluation resumes. */
  OVERRIDE_ENDED,
  /** Nothing changed: metrics below the current rung but not clean long enough, or no breach. */
  UNCHANGED,
  /** No window held the minimum volume: nothing is decided. */
  INSUFFICIENT_DATA,
  /** A human's override is in force: evaluation records what it saw and changes nothing. */
  OVERRIDE_IN_FORCE
}
