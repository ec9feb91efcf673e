package dev.steward.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * Window counts and trends for support tickets, spend and the like: how much something changed against
 * the window (or period) before.
 */
public final class Trend {
  private Trend() {}

  /** How many of the times fall in {@code [asOf - window, asOf)}. */
  public static int countInWindow(Collection<Instant> times, Instant asOf, Duration window) {
    return countBetween(times, asOf.minus(window), asOf);
  }

  /** How many of the times fall in {@code [from, to)}. */
  public static int countBetween(Collection<Instant> times, Instant from, Instant to) {
    int n = 0;
    for (Instant t : times) {
      if (!t.isBefore(from) && t.isBefore(to)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The relative change from {@code previous} to {@code current}, {@code (current - previous) /
   * max(previous, floor)}; the floor keeps a change from 0 or 1 tickets from reading as infinite.
   */
  public static double relativeChange(double current, double previous, double floor) {
    if (!(floor > 0)) {
      throw new IllegalArgumentException("floor must be positive, got " + floor);
    }
    return (current - previous) / Math.max(previous, floor);
  }

  /**
   * The relative change of the event count in the last window against the window before it, with a
   * floor of 1 event: 2 tickets after 4 is -0.5; 3 after 0 is +3.
   */
  public static double ofEvents(Collection<Instant> times, Instant asOf, Duration window) {
    int current = countBetween(times, asOf.minus(window), asOf);
    int previous = countBetween(times, asOf.minus(window.multipliedBy(2)), asOf.minus(window));
    return relativeChange(current, previous, 1);
  }
}
