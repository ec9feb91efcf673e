package dev.steward.schedule;

import java.time.Duration;

/**
 * How a runner treats one kind of work.
 *
 * @param concurrency how many items of the kind may run at once on one runner; 0 for no limit but
 *     the runner's own
 * @param retry how failures are retried
 * @param timeout how long one run may take before it counts as failed (its stage is abandoned)
 */
public record KindSettings(int concurrency, RetryPolicy retry, Duration timeout) {
  /** No limit of its own, {@link RetryPolicy#DEFAULT}, 15 minutes per run. */
  public static final KindSettings DEFAULT =
      new KindSettings(0, RetryPolicy.DEFAULT, Duration.ofMinutes(15));

  public KindSettings {
    if (concurrency < 0) {
      throw new InvalidWorkException("concurrency must not be negative, was " + concurrency);
    }
    if (retry == null) {
      throw new InvalidWorkException("retry policy must not be null");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new InvalidWorkException("timeout must be positive, was " + timeout);
    }
  }

  /** These settings with another concurrency limit. */
  public KindSettings withConcurrency(int limit) {
    return new KindSettings(limit, retry, timeout);
  }

  /** These settings with another retry policy. */
  public KindSettings withRetry(RetryPolicy policy) {
    return new KindSettings(concurrency, policy, timeout);
  }

  /** These settings with another run timeout. */
  public KindSettings withTimeout(Duration limit) {
    return new KindSettings(concurrency, retry, limit);
  }
}
