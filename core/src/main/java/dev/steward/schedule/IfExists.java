package dev.steward.schedule;

/** What scheduling does when an item with the same key is already stored. */
public enum IfExists {
  /** Leave the stored item as it is (its due time, payload and any lease on it). */
  KEEP,
  /**
   * Overwrite the stored item, READY or DEAD, and drop any lease on it: a runner still working on
   * the old one can no longer complete it.
   */
  REPLACE
}
