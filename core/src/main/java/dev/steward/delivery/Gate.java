package dev.steward.delivery;

import dev.steward.model.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
   * Decides several messages as {@link #evaluate} would one after the other in list order, and
   * answers the decisions in that order: a message sees what the gate reserved for those before it.
   * A gate over a store overrides it to read (and reserve) for all of them at once; the default
   * calls {@link #evaluate} for each. Each ALLOW reserves as {@link #evaluate}'s does, and is
   * released the same way, one message at a time. If it throws, nothing stays reserved for any of
   * the messages.
   */
  default List<Decision> evaluateAll(List<Message> messages, Instant now) {
    List<Decision> out = new ArrayList<>(messages.size());
    int i = 0;
    try {
      for (Message m : messages) {
        out.add(evaluate(m, now));
        i++;
      }
    } catch (RuntimeException | Error e) {
      for (int j = i - 1; j >= 0; j--) {
        if (out.get(j).isAllowed()) {
          try {
            release(messages.get(j), now);
          } catch (RuntimeException r) {
            e.addSuppressed(r);
          }
        }
      }
      throw e;
    }
    return out;
  }

  /**
   * Names of the state beyond the message's own contact that this gate reserves in or reads for
   * {@code message} and that other contacts' messages share (an account's send log, when a cap
   * counts per account). {@link Dispatcher#dispatchAll} decides two messages that share a name one
   * after the other, in separate rounds, so that each sees the other's reservation settled (kept or
   * given back) exactly as sequential dispatches would. The default names none: a gate whose
   * reservations other contacts share without naming them here (a tenant's daily limit) may find a
   * batch stricter than sequential dispatches, never looser.
   */
  default List<String> sharedState(Message message) {
    return List.of();
  }

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
