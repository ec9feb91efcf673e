package dev.steward.delivery;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One message's line in the delivery ledger, keyed by its tenant and idempotency key.
 *
 * @param tenant the tenant that sent it: idempotency keys are unique within a tenant
 * @param account the account the message went to
 * @param contact the contact the message went to
 * @param providerMessageId the provider's id once accepted
 * @param createdAt when the intent to send was first written
 * @param updatedAt when the status last changed
 */
public record DeliveryRecord(
    TenantId tenant,
    String idempotencyKey,
    MessageId messageId,
    AccountId account,
    ContactId contact,
    DeliveryStatus status,
    Optional<String> providerMessageId,
    Instant createdAt,
    Instant updatedAt) {
  public DeliveryRecord {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(contact, "contact");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(providerMessageId, "providerMessageId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The same record moved to {@code status} at {@code at}, with the provider's id if known. */
  DeliveryRecord movedTo(DeliveryStatus status, String providerMessageId, Instant at) {
    return new DeliveryRecord(
        tenant,
        idempotencyKey,
        messageId,
        account,
        contact,
        status,
        Optional.ofNullable(providerMessageId),
        createdAt,
        at);
  }
}
