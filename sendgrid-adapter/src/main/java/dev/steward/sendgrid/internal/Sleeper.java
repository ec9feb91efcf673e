package dev.steward.sendgrid.internal;

import java.time.Duration;

/** Waits between the tries of a synchronous call; tests pass one that records and returns. */
@FunctionalInterface
public interface Sleeper {
  /** The thread's own sleep. */
  Sleeper THREAD = d -> Thread.sleep(d.toMillis());

  /** Waits {@code d}. */
  void sleep(Duration d) throws InterruptedException;
}
