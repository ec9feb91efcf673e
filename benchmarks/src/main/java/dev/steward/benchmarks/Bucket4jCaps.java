package dev.steward.benchmarks;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * The closest Bucket4j rendering of the benchmark policy "2 per rolling 7 days and 8 per 30 days
 * per contact, 1 per day per contact and category, quiet hours": one bucket per contact with two
 * bandwidths and one bucket per contact and category. Quiet hours cannot be expressed in Bucket4j,
 * so Steward's side does strictly more work.
 */
public final class Bucket4jCaps {

  private Bucket4jCaps() {}

  /** Per contact: 2 tokens refilled greedily over 7 days, and 8 over 30 days. */
  public static BucketConfiguration contactConfiguration() {
    return BucketConfiguration.builder().addLimit(weekly()).addLimit(monthly()).build();
  }

  /** Per contact and category: 1 token refilled greedily over a day. */
  public static BucketConfiguration categoryConfiguration() {
    return BucketConfiguration.builder().addLimit(daily()).build();
  }

  static Bandwidth weekly() {
    return Bandwidth.builder().capacity(2).refillGreedy(2, Duration.ofDays(7)).build();
  }

  static Bandwidth monthly() {
    return Bandwidth.builder().capacity(8).refillGreedy(8, Duration.ofDays(30)).build();
  }

  static Bandwidth daily() {
    return Bandwidth.builder().capacity(1).refillGreedy(1, Duration.ofDays(1)).build();
  }

  /**
   * One decision: take a token from the contact's bucket, then from its category bucket; if the
   * category refuses, give the contact's token back (Bucket4j cannot consume from two buckets
   * atomically). Returns 0 when allowed, else the nanoseconds until a retry could succeed, the
   * counterpart of Steward's "defer until".
   */
  public static long decide(Bucket contact, Bucket category) {
    ConsumptionProbe byContact = contact.tryConsumeAndReturnRemaining(1);
    if (!byContact.isConsumed()) {
      return byContact.getNanosToWaitForRefill();
    }
    ConsumptionProbe byCategory = category.tryConsumeAndReturnRemaining(1);
    if (!byCategory.isConsumed()) {
      contact.addTokens(1);
      return byCategory.getNanosToWaitForRefill();
    }
    return 0L;
  }
}
