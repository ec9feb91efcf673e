package dev.steward.governance;

/**
 * The counts of one key over a window: one per {@link Counter}.
 *
 * @param processed messages accepted for sending
 * @param delivered messages accepted by the receiving server
 * @param hardBounces hard bounces
 * @param blocked blocks
 * @param invalid drops for an invalid address
 * @param spamReports spam reports
 * @param unsubscribes unsubscribes
 * @param deferred deferrals
 * @param sentToInactive processed messages to inactive addresses
 */
public record MetricCounts(
    long processed,
    long delivered,
    long hardBounces,
    long blocked,
    long invalid,
    long spamReports,
    long unsubscribes,
    long deferred,
    long sentToInactive) {

  /** No events at all. */
  public static final MetricCounts ZERO = new MetricCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);

  public MetricCounts {
    if (processed < 0
        || delivered < 0
        || hardBounces < 0
        || blocked < 0
        || invalid < 0
        || spamReports < 0
        || unsubscribes < 0
        || deferred < 0
        || sentToInactive < 0) {
      throw new InvalidGovernanceException("metric counts must not be negative");
    }
  }

  /** Counts from an array indexed by {@link Counter#ordinal()}. */
  static MetricCounts of(long[] c) {
    return new MetricCounts(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);
  }

  /** The count of one counter. */
  public long get(Counter counter) {
    switch (counter) {
      case PROCESSED:
        return processed;
      case DELIVERED:
        return delivered;
      case HARD_BOUNCE:
        return hardBounces;
      case BLOCKED:
        return blocked;
      case INVALID:
        return invalid;
      case SPAM_REPORT:
        return spamReports;
      case UNSUBSCRIBE:
        return unsubscribes;
      case DEFERRED:
        return deferred;
      case SENT_TO_INACTIVE:
        return sentToInactive;
      default:
        throw new IllegalStateException("unknown counter " + counter);
    }
  }

  /**
   * Messages sent: the processed count, or, when the provider's processed events are missing, at
   * least the messages whose fate is known (delivered, hard-bounced, blocked or dropped as
   * invalid).
   */
  public long sent() {
    return Math.max(processed, delivered + hardBounces + blocked + invalid);
  }

  /** The sum of these counts and {@code other}'s. */
  public MetricCounts plus(MetricCounts other) {
    return new MetricCounts(
        processed + other.processed,
        delivered + other.delivered,
        hardBounces + other.hardBounces,
        blocked + other.blocked,
        invalid + other.invalid,
        spamReports + other.spamReports,
        unsubscribes + other.unsubscribes,
        deferred + other.deferred,
        sentToInactive + other.sentToInactive);
  }
}
