package dev.steward.model;

/** How much a message matters; policies may exempt the higher priorities from caps. */
public enum Priority {
  LOW,
  NORMAL,
  HIGH,
  CRITICAL;

  /** True when this priority is at least {@code other}. */
  public boolean atLeast(Priority other) {
    return compareTo(other) >= 0;
  }
}
