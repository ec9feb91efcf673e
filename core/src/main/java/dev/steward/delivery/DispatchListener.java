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

  /**
   * A waiting message was deferred again because a higher-priority message, {@code by}, took the
   * slot it waited for (priority with look-ahead): {@code displaced} is its new deferral, due at
   * its new time, its reason naming {@code by}. Told on the instance that made the move.
   */
  default void onDisplaced(DeferredMessage displaced, Message by) {}
}
