package dev.steward.delivery;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One move of a ledger record to an outcome, for {@link DeliveryLedger#markOutcomes}: what {@link
 * DeliveryLedger#markOutcome} takes as arguments.
 *
 * @param tenant the record's tenant
 * @param idempotencyKey the record's key within the tenant
 * @param status the outcome to move to
 * @param providerMessageId the provider's id, when the outcome carries one
 * @param at when the outcome was known
 */
public record OutcomeMark(
    TenantId tenant,
    String idempotencyKey,
    DeliveryStatus status,
    Optional<String> providerMessageId,
    Instant at) {
  public OutcomeMark {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(providerMessageId, "providerMessageId");
    Objects.requireNonNull(at, "at");
  }

  /** A mark with the provider's id, or none when {@code providerMessageId} is null. */
  public static OutcomeMark of(
      TenantId tenant,
      String idempotencyKey,
      DeliveryStatus status,
      String providerMessageId,
      Instant at) {
    return new OutcomeMark(
        tenant, idempotencyKey, status, Optional.ofNullable(providerMessageId), at);
  }
}
