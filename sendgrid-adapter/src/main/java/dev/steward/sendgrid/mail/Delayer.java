package dev.steward.sendgrid.mail;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/** Runs a retry later; the transport's own runs on one daemon thread, tests run it at once. */
interface Delayer {
  /**
   * Runs {@code task} after {@code delay}.
   *
   * @throws RejectedExecutionException when the transport is closed
   */
  void schedule(Duration delay, Runnable task);
}
