package dev.steward.delivery;

import dev.steward.model.ContactId;
import dev.steward.model.MessageId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Store of deferred messages. Several application instances may share one queue: a due message is
 * claimed with a lease, so only one instance works on it, and a crashed instance's claim expires
 * and the message is claimed again. Nothing is removed except by {@link #complete} or {@link
 * #cancel}.
 */
public interface DeferredQueue {

  /** Adds the message, or replaces the entry of the same message id (and drops any claim on it). */
  void defer(DeferredMessage deferred);

  /**
   * Replaces the entry of the same message id and drops the claim on it, only if the entry is still
   * there: a message cancelled (erased, opted out) while an instance held it claimed is not brought
   * back. Returns false, changing nothing, when the entry is gone.
   */
  boolean reschedule(DeferredMessage deferred);

  /**
   * Claims up to {@code max} messages due at {@code now} (earliest first) that nobody holds, or
   * whose lease expired, for {@code owner} until {@code now + lease}.
   */
  List<DeferredMessage> claimDue(Instant now, int max, String owner, Duration lease);

  /** Removes a message that was sent or suppressed; true if it was there. */
  boolean complete(MessageId id);

  /** Removes a message that will not be sent (opt-out, erasure); true if it was there. */
  default boolean cancel(MessageId id) {
    return complete(id);
  }

  /** Removes every pending message to a contact (erasure, global opt-out); the number removed. */
  int cancelContact(ContactId contact);

  /** The pending entry of a message. */
  Optional<DeferredMessage> find(MessageId id);

  /** The pending messages to a contact, earliest due first. */
  List<DeferredMessage> pendingFor(ContactId contact);

  /** How many messages are pending. */
  int size();
}
