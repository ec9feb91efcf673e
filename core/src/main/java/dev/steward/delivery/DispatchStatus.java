package dev.steward.delivery;

/** Where a dispatched message ended up. */
public enum DispatchStatus {
  /** The transport accepted it. */
  SENT,
  /** A gate or the transport said "not now"; it waits in the deferred queue. */
  DEFERRED,
  /** A gate said "never"; it will not be sent. */
  SUPPRESSED,
  /** Its idempotency key was already sent, is being sent, or failed for good: nothing was done. */
  DUPLICATE,
  /** The transport refused it for good, or it ran out of attempts. */
  FAILED,
  /** The transport's outcome is unknown; it will be reconciled from provider events, not resent. */
  UNKNOWN
}
