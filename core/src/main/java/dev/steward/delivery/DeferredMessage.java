package dev.steward.delivery;

import dev.steward.model.Message;
import java.time.Instant;
import java.util.Objects;

/**
 * A message kept for a later try.
 *
 * @param message the message as it was dispatched
 * @param dueAt when to dispatch it again
 * @param attempts how many times it has been deferred so far (1 after the first deferral)
 * @param reason why it was deferred, as one line for people (the full reasons went to listeners)
 */
public record DeferredMessage(Message message, Instant dueAt, int attempts, String reason) {
  public DeferredMessage {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(dueAt, "dueAt");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
    reason = reason == null ? "" : reason;
  }
}
