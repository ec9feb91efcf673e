package dev.steward.delivery;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a message stands in the delivery ledger. Outcomes only move forward, so a late answer (a
 * transport time-out reported after the provider's event settled the send) cannot undo a later one:
 *
 * <pre>
 *   SENDING --&gt; RETRYING, UNKNOWN, SENT, FAILED   (the transport answered)
 *   RETRYING --&gt; SENT, FAILED                      (a provider event; giving up)
 *   RETRYING --&gt; SENDING                           (only by recordIntent: the next attempt)
 *   UNKNOWN --&gt; RETRYING, SENT, FAILED             (settled: an event, an operator, a late refusal)
 *   FAILED --&gt; SENT                                (the provider proves it took the message)
 *   SENT                                           (final)
 * </pre>
 *
 * FAILED yields to SENT alone because FAILED is our inference (a refusal, or retries given up)
 * while a provider event naming the message is proof that it went out; the ledger records what
 * happened. UNKNOWN yields to RETRYING for the same reason: it is a guess (an instance that took
 * over a stalled send cannot know), and the stalled instance's late RETRYABLE answer is the
 * provider's own word that the message did not go out. Nothing moves back to SENDING by {@code
 * markOutcome}, and nothing moves to itself.
 */
public enum DeliveryStatus {
  /** The intent is written and the transport is being called. */
  SENDING,
  /** The provider accepted it. */
  SENT,
  /** The provider refused it for now; it waits in the deferred queue and may be sent again. */
  RETRYING,
  /** The provider refused it for good. */
  FAILED,
  /**
   * The outcome is not known (time-out after the request left); reconciled from provider events.
   */
  UNKNOWN;

  /** True when a new send attempt of the same message may start. */
  public boolean mayRetry() {
    return this == RETRYING;
  }

  /**
   * True when {@link DeliveryLedger#markOutcome} may move a record from this status to {@code
   * next}.
   */
  public boolean mayMoveTo(DeliveryStatus next) {
    return switch (this) {
      case SENDING -> next != SENDING;
      case RETRYING -> next == SENT || next == FAILED;
      case UNKNOWN -> next == RETRYING || next == SENT || next == FAILED;
      case FAILED -> next == SENT;
      case SENT -> false;
    };
  }

  /** The statuses from which {@code markOutcome} may move a record to {@code next}. */
  public static Set<DeliveryStatus> movingTo(DeliveryStatus next) {
    Set<DeliveryStatus> from = EnumSet.noneOf(DeliveryStatus.class);
    for (DeliveryStatus s : values()) {
      if (s.mayMoveTo(next)) {
        from.add(s);
      }
    }
    return from;
  }
}
