package dev.steward.delivery;

import dev.steward.model.Message;
import dev.steward.model.MessageId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A message kept for a later try.
 *
 * @param message the message as it was dispatched
 * @param dueAt when to dispatch it again
 * @param attempts how many times it has been deferred so far, for any reason (1 after the first)
 * @param reason why it was deferred, as one line for people (the full reasons went to listeners);
 *     after a displacement, it names the message that displaced it
 * @param transportFailures how many of those deferrals were retryable transport failures; the
 *     dispatcher gives up after its maximum of these, whatever the gates deferred
 * @param displacedBy the higher-priority message that last took the slot this one waited for (see
 *     {@link Dispatcher.Builder#lookAhead}); kept while the message waits, whatever defers it next
 */
public record DeferredMessage(
    Message message,
    Instant dueAt,
    int attempts,
    String reason,
    int transportFailures,
    Optional<MessageId> displacedBy) {
  public DeferredMessage {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(dueAt, "dueAt");
    Objects.requireNonNull(displacedBy, "displacedBy (Optional.empty() when never displaced)");
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

  /** A message never displaced. */
  public DeferredMessage(
      Message message, Instant dueAt, int attempts, String reason, int transportFailures) {
    this(message, dueAt, attempts, reason, transportFailures, Optional.empty());
  }

  /** A message deferred by gates only, with no transport failure yet. */
  public DeferredMessage(Message message, Instant dueAt, int attempts, String reason) {
    this(message, dueAt, attempts, reason, 0);
  }

  /** This deferral moved to {@code at} because {@code by} took its slot, with that reason. */
  DeferredMessage displacedTo(Instant at, MessageId by, String why) {
    return new DeferredMessage(message, at, attempts + 1, why, transportFailures, Optional.of(by));
  }

  /** This deferral moved to {@code at}, its reason and history unchanged. */
  DeferredMessage movedTo(Instant at) {
    return new DeferredMessage(message, at, attempts, reason, transportFailures, displacedBy);
  }
}
