package dev.steward.delivery;

import dev.steward.model.MessageId;
import java.time.Instant;
import java.util.Objects;

/**
 * One message's line in the delivery ledger, keyed by its idempotency key.
 *
 * @param providerMessageId the provider's id once accepted, else null
 * @param updatedAt when the status last changed
 */
public record DeliveryRecord(
    String idempotencyKey,
    MessageId messageId,
    DeliveryStatus status,
    String providerMessageId,
    Instant updatedAt) {
  public DeliveryRecord {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
