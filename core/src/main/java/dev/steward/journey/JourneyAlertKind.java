package dev.steward.journey;

/** Which benchmark a step of a journey missed (see {@link JourneyBenchmarks}). */
public enum JourneyAlertKind {
  /** Opens per delivered message under the benchmark's low end. */
  LOW_OPEN_RATE,
  /** Clicks per delivered message under the benchmark's low end. */
  LOW_CLICK_RATE,
  /** Unsubscribes per sent message above the benchmark's maximum. */
  HIGH_UNSUBSCRIBE_RATE,
  /**
   * Unsubscribes per sent message of one send step both above the maximum and a multiple of the
   * rest of the journey version's: this send, not the journey, drives people away.
   */
  UNSUBSCRIBE_SPIKE,
  /** Opens at or above the open benchmark's high end while clicks stay under the click one. */
  OPENS_WITHOUT_CLICKS
}
