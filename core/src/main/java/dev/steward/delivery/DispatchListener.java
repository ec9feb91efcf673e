package dev.steward.delivery;

import dev.steward.model.Message;
import java.util.List;

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
   * Several dispatches finished together ({@link Dispatcher#dispatchAll}'s sends of one group): a
   * listener that reads a store for each result may read for all of them at once. The default tells
   * each to {@link #onResult} in order, all of them even when one throws; the first failure is
   * thrown at the end.
   */
  default void onResults(List<DispatchResult> results) {
    Throwable first = null;
    for (DispatchResult r : results) {
      DispatchMdc mdc = DispatchMdc.of(r.message()); // as a result told alone is
      try {
        onResult(r);
      } catch (RuntimeException | Error e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      } finally {
        mdc.close();
      }
    }
    if (first instanceof RuntimeException e) {
      throw e;
    }
    if (first instanceof Error e) {
      throw e;
    }
  }

  /**
   * A waiting message was deferred again because a higher-priority message, {@code by}, took the
   * slot it waited for (priority with look-ahead): {@code displaced} is its new deferral, due at
   * its new time, its reason naming {@code by}. Told on the instance that made the move.
   */
  default void onDisplaced(DeferredMessage displaced, Message by) {}
}
