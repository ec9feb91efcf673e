package dev.steward.sendgrid.mail;

import java.time.Duration;
import java.util.Objects;

/**
 * How the transport retries within one send: 5xx answers and failures before the request was
 * written are retried with exponential back-off and jitter, a 429 after its {@code
 * X-RateLimit-Reset} when that is near enough; an ambiguous failure (after the request was written)
 * is never retried. When the tries run out the send is answered RETRYABLE with the time the next
 * try is allowed, for the dispatcher to retry as due work.
 *
 * @param maxAttempts requests per send at most, the first included (1 turns retries off)
 * @param initialBackoff the back-off before the second try; doubled for each further one
 * @param maxBackoff the longest back-off
 * @param maxRateLimitWait the longest wait for a rate limit's reset within one send; a later reset
 *     ends the send as RETRYABLE at the reset
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRateLimitWait) {

  /** Requests per send by default: the first and two retries. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** The back-off before the second try by default. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);

  /** The longest back-off by default. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  /** The longest wait for a rate limit's reset within one send by default. */
  public static final Duration DEFAULT_MAX_RATE_LIMIT_WAIT = Duration.ofSeconds(10);

  /** Checks each value, naming the one at fault. */
  public RetryPolicy {
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException("maxAttempts must be 1 to 10, not " + maxAttempts);
    }
    positive("initialBackoff", initialBackoff);
    positive("maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
    }
    Objects.requireNonNull(maxRateLimitWait, "maxRateLimitWait");
    if (maxRateLimitWait.isNegative()) {
      throw new IllegalArgumentException("maxRateLimitWait must not be negative");
    }
  }

  /** The defaults: {@value #DEFAULT_MAX_ATTEMPTS} tries, 250 ms doubling to 5 s, 10 s for 429. */
  public static RetryPolicy ofDefaults() {
    return new RetryPolicy(
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_INITIAL_BACKOFF,
        DEFAULT_MAX_BACKOFF,
        DEFAULT_MAX_RATE_LIMIT_WAIT);
  }

  /** One try only: every failure is answered at once. */
  public static RetryPolicy none() {
    return new RetryPolicy(
        1, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_RATE_LIMIT_WAIT);
  }

  /**
   * The back-off before try {@code attempt + 1}: the exponential delay, with its upper half drawn
   * at random ({@code random} in [0, 1)) so that many senders do not retry in step. The adapter's
   * admin clients share it with the transport.
   */
  public Duration backoff(int attempt, double random) {
    long base = initialBackoff.toMillis();
    long cap = maxBackoff.toMillis();
    long exp = base << Math.min(attempt - 1, 20);
    long full = Math.min(cap, exp <= 0 ? cap : exp);
    long half = full / 2;
    return Duration.ofMillis(half + (long) (random * (full - half + 1)));
  }

  private static void positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + d);
    }
  }
}
