package dev.steward.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a JDBC store retries an operation that failed on a transient database error (a deadlock, a
 * serialization failure, a lock or statement time-out, a lost connection): how often, and how long
 * it waits between attempts (exponential back-off with jitter). Immutable.
 */
public final class JdbcRetryPolicy {
  /** Attempts in all, the first included. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** The wait before the second attempt; it doubles for each further one. */
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(20);

  /** The longest wait between two attempts. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(1);

  private static final JdbcRetryPolicy DEFAULTS = builder().build();

  private static final JdbcRetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration backoffBase;
  private final Duration maxBackoff;

  private JdbcRetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.backoffBase = b.backoffBase;
    this.maxBackoff = b.maxBackoff;
  }

  /** The defaults: {@value #DEFAULT_MAX_ATTEMPTS} attempts, 20 ms doubling up to 1 s. */
  public static JdbcRetryPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** No retry: the first transient error surfaces, for callers that retry on their own. */
  public static JdbcRetryPolicy none() {
    return NONE;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Attempts in all, the first included; at least 1. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before the second attempt. */
  public Duration backoffBase() {
    return backoffBase;
  }

  /** The longest wait between two attempts. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The wait after {@code failedAttempts} failures: the base doubled per earlier failure, capped at
   * the maximum, of which a random half is dropped ("equal jitter"), so that instances which failed
   * together on one deadlock do not collide again at the same moment.
   */
  Duration delayAfter(int failedAttempts) {
    long base = backoffBase.toNanos();
    long cap = maxBackoff.toNanos();
    int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
    long full = base > (cap >> doublings) ? cap : Math.min(cap, base << doublings);
    long half = full / 2;
    long jitter = half == 0 ? 0 : ThreadLocalRandom.current().nextLong(full - half + 1);
    return Duration.ofNanos(half + jitter);
  }

  @Override
  public String toString() {
    return "JdbcRetryPolicy[maxAttempts="
        + maxAttempts
        + ", backoffBase="
        + backoffBase
        + ", maxBackoff="
        + maxBackoff
        + "]";
  }

  /** Builds a {@link JdbcRetryPolicy}; each setter validates its value. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration backoffBase = DEFAULT_BACKOFF_BASE;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

    private Builder() {}

    /** Attempts in all, the first included; 1 means no retry. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The wait before the second attempt; zero or positive. */
    public Builder backoffBase(Duration backoffBase) {
      Objects.requireNonNull(backoffBase, "backoffBase");
      if (backoffBase.isNegative()) {
        throw new IllegalArgumentException("backoffBase must not be negative, was " + backoffBase);
      }
      this.backoffBase = backoffBase;
      return this;
    }

    /** The longest wait between two attempts; zero or positive. */
    public Builder maxBackoff(Duration maxBackoff) {
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      if (maxBackoff.isNegative()) {
        throw new IllegalArgumentException("maxBackoff must not be negative, was " + maxBackoff);
      }
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** The policy; fails if the base exceeds the maximum. */
    public JdbcRetryPolicy build() {
      if (backoffBase.compareTo(maxBackoff) > 0) {
        throw new IllegalArgumentException(
            "backoffBase " + backoffBase + " must not exceed maxBackoff " + maxBackoff);
      }
      return new JdbcRetryPolicy(this);
    }
  }
}
