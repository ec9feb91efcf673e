package dev.steward.delivery;

/** Where a message stands in the delivery ledger. */
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
}
