package dev.steward.journey;

import dev.steward.model.TenantId;

/**
 * Receives journey alerts ({@link JourneyAnalytics}): once when a step starts to miss a benchmark
 * (an episode opens), and once when it no longer does (the episode closes). An exception thrown by
 * a listener is logged and the opening or closing taken back, so that the next evaluation tells it
 * again (at least once; a listener that may be told twice de-duplicates by tenant, step and kind).
 */
@FunctionalInterface
public interface JourneyAlertListener {

  /** A listener that does nothing. */
  JourneyAlertListener NONE = alert -> {};

  /** A step started to miss a benchmark. */
  void onAlert(JourneyAlert alert);

  /** A step that missed a benchmark meets it again. */
  default void onCleared(TenantId tenant, JourneyStepRef step, JourneyAlertKind kind) {}
}
