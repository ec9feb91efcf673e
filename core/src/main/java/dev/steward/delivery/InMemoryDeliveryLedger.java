package dev.steward.delivery;

import dev.steward.model.Message;
import dev.steward.model.MessageId;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link DeliveryLedger} in memory, for one process and for tests. Thread-safe. */
public final class InMemoryDeliveryLedger implements DeliveryLedger {

  // Writes hold the instance's lock, so that the two maps change together and a message id can
  // never gain a second key; reads go to the concurrent maps without it.
  private final ConcurrentMap<String, DeliveryRecord> records = new ConcurrentHashMap<>();
  // A message id keeps the key it was first recorded under: one message id, one record, for good.
  private final ConcurrentMap<MessageId, String> keysByMessage = new ConcurrentHashMap<>();

  @Override
  public synchronized boolean recordIntent(Message message, Instant at) {
    String key = message.idempotencyKey();
    String held = keysByMessage.get(message.id());
    if (held != null && !held.equals(key)) {
      return false;
    }
    DeliveryRecord existing = records.get(key);
    if (existing != null
        && !(existing.status().mayRetry() && existing.messageId().equals(message.id()))) {
      return false;
    }
    records.put(key, new DeliveryRecord(key, message.id(), DeliveryStatus.SENDING, null, at));
    keysByMessage.put(message.id(), key);
    return true;
  }

  @Override
  public synchronized boolean markOutcome(
      String idempotencyKey, DeliveryStatus status, String providerMessageId, Instant at) {
    DeliveryRecord r = records.get(idempotencyKey);
    if (r == null || !r.status().mayMoveTo(status)) {
      return false;
    }
    records.put(
        idempotencyKey,
        new DeliveryRecord(idempotencyKey, r.messageId(), status, providerMessageId, at));
    return true;
  }

  @Override
  public Optional<DeliveryRecord> find(String idempotencyKey) {
    return Optional.ofNullable(records.get(idempotencyKey));
  }

  @Override
  public List<DeliveryRecord> unsettled(Instant olderThan, int max) {
    if (max <= 0) {
      return List.of();
    }
    return records.values().stream()
        .filter(r -> r.status() == DeliveryStatus.SENDING || r.status() == DeliveryStatus.UNKNOWN)
        .filter(r -> r.updatedAt().isBefore(olderThan))
        .sorted(
            Comparator.comparing(DeliveryRecord::updatedAt)
                .thenComparing(DeliveryRecord::idempotencyKey))
        .limit(max)
        .toList();
  }

  @Override
  public List<DeliveryRecord> withStatus(DeliveryStatus status, Instant olderThan, int max) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(olderThan, "olderThan");
    if (max <= 0) {
      return List.of();
    }
    return records.values().stream()
        .filter(r -> r.status() == status)
        .filter(r -> r.updatedAt().isBefore(olderThan))
        .sorted(
            Comparator.comparing(DeliveryRecord::updatedAt)
                .thenComparing(DeliveryRecord::idempotencyKey))
        .limit(max)
        .toList();
  }

  @Override
  public synchronized int purgeSettledBefore(Instant cutoff, int max) {
    Objects.requireNonNull(cutoff, "cutoff");
    if (max <= 0) {
      return 0;
    }
    List<DeliveryRecord> settled =
        records.values().stream()
            .filter(r -> r.status() == DeliveryStatus.SENT || r.status() == DeliveryStatus.FAILED)
            .filter(r -> r.updatedAt().isBefore(cutoff))
            .sorted(
                Comparator.comparing(DeliveryRecord::updatedAt)
                    .thenComparing(DeliveryRecord::idempotencyKey))
            .limit(max)
            .toList();
    for (DeliveryRecord r : settled) {
      records.remove(r.idempotencyKey());
      keysByMessage.remove(r.messageId(), r.idempotencyKey());
    }
    return settled.size();
  }

  @Override
  public Optional<DeliveryRecord> findByMessage(MessageId messageId) {
    String key = keysByMessage.get(messageId);
    return key == null ? Optional.empty() : find(key).filter(r -> r.messageId().equals(messageId));
  }
}
