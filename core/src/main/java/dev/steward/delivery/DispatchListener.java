package dev.steward.delivery;

import dev.steward.model.Message;

/**
 * Observes the send pipeline: each gate's decision and each dispatch's result. Methods default to
 * doing nothing; an exception thrown by a listener is logged and does not change the dispatch.
 */
public interface DispatchListener {

  /** A listener that does nothing. */
  DispatchListener NOOP = new DispatchListener() {};

  /** A gate decided on a message. */
  default void onGateDecision(Message message, String gate, Decision decision) {}

  /** A dispatch finished. */
  default void onResult(DispatchResult result) {}
}
