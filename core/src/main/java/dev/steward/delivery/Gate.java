package dev.steward.delivery;

import dev.steward.model.Message;
import java.time.Instant;

/**
 * One check in the send pipeline. The {@link Dispatcher} runs its gates in order and stops at the
 * first that does not allow.
 */
public interface Gate {

  /** A short stable name used in reasons and logs ("consent", "frequency", "tenant"). */
  String name();

  /**
   * Decides whether the message may go now. A gate that reserves capacity on ALLOW (the frequency
   * gate reserves the slot) must undo it in {@link #release}.
   */
  Decision evaluate(Message message, Instant now);

  /**
   * Called when this gate allowed the message but it was not sent after all: a later gate refused,
   * or the transport failed before the message left. Undo any reservation. The default does
   * nothing.
   */
  default void release(Message message, Instant decidedAt) {}

  /**
   * Called when a message this gate allowed and then released (the transport answered RETRYABLE)
   * turns out to have gone out after all (a provider event proved it). A gate that counts sends
   * must count this one, whatever its limits say now, and count it once however often it is
   * confirmed for the same message and instant. The default does nothing.
   */
  default void confirmSent(Message message, Instant sentAt) {}

  /**
   * Whether a deferral by this gate waits for a slot of a budget that messages compete for (the
   * frequency gate's caps): the dispatcher's priority look-ahead then orders the messages waiting
   * for one slot by priority (see {@link Dispatcher.Builder#lookAhead}). The default is false: the
   * message simply waits for its time.
   */
  default boolean holdsSlots() {
    return false;
  }
}
