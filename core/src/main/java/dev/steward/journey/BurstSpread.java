package dev.steward.journey;

import java.time.Duration;
import java.time.Instant;

/**
 * Spreads the enrolments that a wall-clock wait makes due at one instant (100,000 renewals at 09:00
 * local) over a window after it: each enrolment keeps one offset, derived from its id, so every run
 * and every instance computes the same due time, and a later re-anchoring lands on it again.
 */
final class BurstSpread {
  private final long windowMillis;

  BurstSpread(Duration window) {
    this.windowMillis = window.toMillis();
  }

  /** The enrolment's offset within the window: the same for every call, under the window. */
  Duration offset(Enrolment e) {
    if (windowMillis == 0) {
      return Duration.ZERO;
    }
    return Duration.ofMillis(Math.floorMod(StepExecutor.hash("spread/" + e.id()), windowMillis));
  }

  /** {@code at}, moved by the enrolment's offset. */
  Instant spread(Instant at, Enrolment e) {
    return at.plus(offset(e));
  }
}
