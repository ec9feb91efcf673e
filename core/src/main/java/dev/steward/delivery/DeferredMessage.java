package dev.steward.delivery;

import dev.steward.model.Message;
import java.time.Instant;
import java.util.Objects;

/**
 * A message kept for a later try.
 *
 * @param message the message as it was dispatched
 * @param dueAt when to dispatch it again
 * @param attempts how many times it has been deferred so far, for any reason (1 after the first)
 * @param reason why it was deferred, as one line for people (the full reasons went to listeners)
 * @param transportFailures how many of those deferrals were retryable transport failures; the
 *     dispatcher gives up after its maximum of these, whatever the gates deferred
 */
public record DeferredMessage(
    Message message, Instant dueAt, int attempts, String reason, int transportFailures) {
  public DeferredMessage {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(dueAt, "dueAt");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
    if (transportFailures < 0 || transportFailures > attempts) {
      throw new IllegalArgumentException(
          "transportFailures must be between 0 and attempts ("
              + attempts
              + "), was "
              + transportFailures);
    }
    reason = reason == null ? "" : reason;
  }

  /** A message deferred by gates only, with no transport failure yet. */
  public DeferredMessage(Message message, Instant dueAt, int attempts, String reason) {
    this(message, dueAt, attempts, reason, 0);
  }
}
