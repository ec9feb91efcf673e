package dev.steward.delivery;

import dev.steward.model.Message;
import dev.steward.model.MessageId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Store of send intents and outcomes, keyed by idempotency key: the intent is written before the
 * transport is called, so a message is never sent twice, even by two instances at once.
 */
public interface DeliveryLedger {

  /**
   * Writes the intent to send, atomically: true if there was no record for the message's
   * idempotency key, or the record is {@link DeliveryStatus#RETRYING} for this same message id (it
   * then becomes {@link DeliveryStatus#SENDING}); false otherwise, and nothing changes.
   */
  boolean recordIntent(Message message, Instant at);

  /** Sets the outcome of a send; false if there is no record for the key. */
  boolean markOutcome(
      String idempotencyKey, DeliveryStatus status, String providerMessageId, Instant at);

  /** The record of an idempotency key. */
  Optional<DeliveryRecord> find(String idempotencyKey);

  /**
   * The record of a message, by its id: provider events carry the message id back, not the
   * idempotency key.
   */
  Optional<DeliveryRecord> findByMessage(MessageId messageId);

  /**
   * Records whose outcome is still open ({@link DeliveryStatus#SENDING} or {@link
   * DeliveryStatus#UNKNOWN}) and unchanged since before {@code olderThan}, oldest first, at most
   * {@code max}: the sends no provider event has settled, for an operator or a sweep to look at.
   */
  List<DeliveryRecord> unsettled(Instant olderThan, int max);
}
