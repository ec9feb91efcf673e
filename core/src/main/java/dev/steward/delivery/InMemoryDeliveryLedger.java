package dev.steward.delivery;

import dev.steward.model.Message;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link DeliveryLedger} in memory, for one process and for tests. Thread-safe. */
public final class InMemoryDeliveryLedger implements DeliveryLedger {

  private final ConcurrentMap<String, DeliveryRecord> records = new ConcurrentHashMap<>();

  @Override
  public boolean recordIntent(Message message, Instant at) {
    boolean[] won = {false};
    records.compute(
        message.idempotencyKey(),
        (key, existing) -> {
          if (existing == null
              || (existing.status().mayRetry() && existing.messageId().equals(message.id()))) {
            won[0] = true;
            return new DeliveryRecord(key, message.id(), DeliveryStatus.SENDING, null, at);
          }
          return existing;
        });
    return won[0];
  }

  @Override
  public boolean markOutcome(
      String idempotencyKey, DeliveryStatus status, String providerMessageId, Instant at) {
    return records.computeIfPresent(
            idempotencyKey,
            (key, r) -> new DeliveryRecord(key, r.messageId(), status, providerMessageId, at))
        != null;
  }

  @Override
  public Optional<DeliveryRecord> find(String idempotencyKey) {
    return Optional.ofNullable(records.get(idempotencyKey));
  }
}
