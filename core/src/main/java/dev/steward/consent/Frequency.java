package dev.steward.consent;

/** How often a contact wants mail of one category; the frequency limiter enforces it. */
public enum Frequency {
  /** No more than the policy's own caps allow. */
  AS_IT_HAPPENS,
  /** At most one per calendar day (recipient's zone). */
  DAILY,
  /** At most one per ISO week. */
  WEEKLY,
  /** At most one per calendar month. */
  MONTHLY,
  /** At most one per calendar quarter. */
  QUARTERLY
}
