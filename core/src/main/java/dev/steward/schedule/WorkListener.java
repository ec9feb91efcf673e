package dev.steward.schedule;

import java.time.Duration;

/**
 * Observes a {@link WorkRunner}: every method has a no-op default. Called on the runner's threads;
 * a listener that throws is logged and ignored.
 */
public interface WorkListener {
  /** A listener that does nothing. */
  WorkListener NOOP = new WorkListener() {};

  /** A handler ran and answered; {@code took} is from start to answer. */
  default void onFinished(WorkItem item, Next next, Duration took) {}

  /** A handler threw or its stage failed; {@code dead} if the item gave up. */
  default void onFailed(WorkItem item, Throwable error, boolean dead) {}

  /** A lease was lost while its work ran (the owner stalled past it); its answer will not apply. */
  default void onLeaseLost(Lease lease) {}
}
