package dev.steward.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches due deferred messages in the background: every {@code interval} it drains the due part
 * of the queue in batches. Several instances (one per application instance) may run over one shared
 * queue; the queue's leases keep them apart. Close it to stop.
 */
public final class DueDispatchRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DueDispatchRunner.class);

  /** Messages claimed per batch by default. */
  public static final int DEFAULT_BATCH_SIZE = 100;

  private final Dispatcher dispatcher;
  private final int batchSize;
  private final ScheduledExecutorService executor;
  private final ScheduledFuture<?> task;

  private DueDispatchRunner(Dispatcher dispatcher, Duration interval, int batchSize) {
    this.dispatcher = dispatcher;
    this.batchSize = batchSize;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "steward-due-dispatch");
              t.setDaemon(true);
              return t;
            });
    long millis = interval.toMillis();
    this.task =
        executor.scheduleWithFixedDelay(this::runSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Starts a runner on its own daemon thread. */
  public static DueDispatchRunner start(Dispatcher dispatcher, Duration interval, int batchSize) {
    Objects.requireNonNull(dispatcher, "dispatcher");
    if (interval == null || interval.toMillis() < 1) {
      throw new IllegalArgumentException("interval must be at least 1 ms, was " + interval);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
    }
    return new DueDispatchRunner(dispatcher, interval, batchSize);
  }

  /**
   * Dispatches due messages until a batch comes back smaller than the batch size; returns how many
   * were dispatched. This is what each tick runs; call it directly in tests.
   */
  public static int drain(Dispatcher dispatcher, int batchSize) {
    int total = 0;
    while (true) {
      int n = dispatcher.dispatchDue(batchSize).size();
      total += n;
      if (n < batchSize) {
        return total;
      }
    }
  }

  private void runSafely() {
    try {
      int n = drain(dispatcher, batchSize);
      if (n > 0) {
        log.debug("dispatched {} due messages", n);
      }
    } catch (RuntimeException e) {
      log.error("due dispatch failed; retrying at the next tick", e);
    }
  }

  /** Stops the runner; a batch under way finishes first. */
  @Override
  public void close() {
    task.cancel(false);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("due dispatch did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
