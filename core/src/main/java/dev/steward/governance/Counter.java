package dev.steward.governance;

/**
 * What a {@link GovernanceMetricsStore} counts per tenant (or pool) and time bucket, one count per
 * provider event.
 */
public enum Counter {
  /** A message the provider accepted for sending (SendGrid {@code processed}). */
  PROCESSED,
  /** A message the receiving server accepted. */
  DELIVERED,
  /** A hard bounce: event {@code bounce} with bounce type {@code bounce}. */
  HARD_BOUNCE,
  /** A block: event {@code blocked}, or {@code bounce} with bounce type {@code blocked}. */
  BLOCKED,
  /** A drop for an invalid address (drop reason {@code Invalid}). */
  INVALID,
  /** A spam report (complaint). */
  SPAM_REPORT,
  /** An unsubscribe, global or from a group. */
  UNSUBSCRIBE,
  /** A deferral: the receiving server asked the provider to try again later. */
  DEFERRED,
  /**
   * A processed message to an address first mailed long ago (the ladder's {@linkplain
   * Ladder#inactiveAfter() inactivity period}) that has not opened or clicked within it.
   */
  SENT_TO_INACTIVE;

  private static final Counter[] VALUES = values();

  /** The counters, in declaration order (a shared array: do not change it). */
  static Counter[] all() {
    return VALUES;
  }
}
