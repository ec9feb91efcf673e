package dev.steward.schedule;

import java.time.Duration;

/**
 * How a failing kind of work is retried: exponential back-off from {@code firstDelay}, at most
 * {@code maxDelay}, with up to a fifth of random jitter, until {@code maxAttempts} failures, after
 * which the item goes DEAD.
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay) {
  /** 8 attempts, from 30 s, at most 1 h apart. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(8, Duration.ofSeconds(30), Duration.ofHours(1));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new InvalidWorkException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (firstDelay == null || firstDelay.isNegative()) {
      throw new InvalidWorkException("firstDelay must not be negative, was " + firstDelay);
    }
    if (maxDelay == null || maxDelay.compareTo(firstDelay) < 0) {
      throw new InvalidWorkException("maxDelay must be at least firstDelay, was " + maxDelay);
    }
  }

  /** The wait before the attempt after {@code failures} failures, without jitter. */
  public Duration delayAfter(int failures) {
    int shift = Math.max(0, Math.min(failures - 1, 30));
    Duration d = firstDelay.multipliedBy(1L << shift);
    return d.compareTo(maxDelay) > 0 || d.isNegative() ? maxDelay : d;
  }
}
