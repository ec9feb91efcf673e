package dev.steward.delivery;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A {@link DeliveryLedger} in memory, for one process and for tests. Thread-safe: every operation
 * holds the instance's lock (plain maps under it cost a send less than concurrent maps did, whose
 * growth and size counting were a tenth of a send's CPU in memory).
 */
public final class InMemoryDeliveryLedger implements DeliveryLedger {

  private InMemoryDeliveryLedger() {}

  /** An empty ledger. */
  public static InMemoryDeliveryLedger of() {
    return new InMemoryDeliveryLedger();
  }

  private static final Comparator<DeliveryRecord> OLDEST_CHANGE_FIRST =
      Comparator.comparing(DeliveryRecord::updatedAt)
          .thenComparing(r -> r.tenant().value())
          .thenComparing(DeliveryRecord::idempotencyKey);

  private static final Comparator<DeliveryRecord> OLDEST_INTENT_FIRST =
      Comparator.comparing(DeliveryRecord::createdAt).thenComparing(DeliveryRecord::idempotencyKey);

  /** A record's identity: idempotency keys are unique within a tenant. */
  private record Key(TenantId tenant, String idempotencyKey) {}

  /** The records of one account, found without a scan of every record. */
  private record AccountKey(TenantId tenant, AccountId account) {}

  // The maps change together under the instance's lock, so a message id can never gain a second
  // key.
  private final Map<Key, DeliveryRecord> records = new HashMap<>();
  // A message id keeps the key it was first recorded under: one message id, one record, for good.
  private final Map<MessageId, Key> keysByMessage = new HashMap<>();
  // An account's keys: its one Key while it has one (most accounts, in most windows: no set made
  // per account), a Set<Key> once it has two.
  private final Map<AccountKey, Object> keysByAccount = new HashMap<>();
  // How many records have each status, by ordinal: a sweep for a status no record has (the
  // stuck-send sweep when every send settled) answers without a scan.
  private final int[] statusCounts = new int[DeliveryStatus.values().length];
  // No settled (SENT or FAILED) record changed before this instant (null: none settled yet), so a
  // purge with an earlier cutoff has nothing to purge and need not scan; kept under the lock.
  private Instant settledSince;

  @Override
  public synchronized boolean recordIntent(Message message, Instant at) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
    Key key = new Key(message.tenant(), message.idempotencyKey());
    Key held = keysByMessage.get(message.id());
    if (held != null && !held.equals(key)) {
      return false;
    }
    DeliveryRecord existing = records.get(key);
    if (existing != null) {
      if (!(existing.status().mayRetry() && existing.messageId().equals(message.id()))) {
        return false;
      }
      put(key, existing, existing.movedTo(DeliveryStatus.SENDING, null, at));
      return true;
    }
    put(
        key,
        null,
        new DeliveryRecord(
            message.tenant(),
            message.idempotencyKey(),
            message.id(),
            message.account(),
            message.contact(),
            DeliveryStatus.SENDING,
            Optional.empty(),
            at,
            at));
    keysByMessage.put(message.id(), key);
    addToAccount(new AccountKey(message.tenant(), message.account()), key);
    return true;
  }

  @Override
  public synchronized boolean markOutcome(
      TenantId tenant,
      String idempotencyKey,
      DeliveryStatus status,
      String providerMessageId,
      Instant at) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(at, "at");
    Key key = key(tenant, idempotencyKey);
    DeliveryRecord r = records.get(key);
    if (r == null || !r.status().mayMoveTo(status)) {
      return false;
    }
    put(key, r, r.movedTo(status, providerMessageId, at));
    return true;
  }

  /** Puts {@code next} in place of {@code old} (null: none), keeping the status counts. */
  private void put(Key key, DeliveryRecord old, DeliveryRecord next) {
    statusCounts[next.status().ordinal()]++;
    if (settled(next) && (settledSince == null || next.updatedAt().isBefore(settledSince))) {
      settledSince = next.updatedAt();
    }
    records.put(key, next);
    if (old != null) {
      statusCounts[old.status().ordinal()]--;
    }
  }

  private static boolean settled(DeliveryRecord r) {
    return r.status() == DeliveryStatus.SENT || r.status() == DeliveryStatus.FAILED;
  }

  private boolean none(DeliveryStatus status) {
    return statusCounts[status.ordinal()] == 0;
  }

  @Override
  public synchronized Optional<DeliveryRecord> find(TenantId tenant, String idempotencyKey) {
    return Optional.ofNullable(records.get(key(tenant, idempotencyKey)));
  }

  @Override
  public synchronized Optional<DeliveryRecord> findByMessage(MessageId messageId) {
    Objects.requireNonNull(messageId, "messageId");
    Key key = keysByMessage.get(messageId);
    return key == null
        ? Optional.empty()
        : Optional.ofNullable(records.get(key)).filter(r -> r.messageId().equals(messageId));
  }

  @Override
  public synchronized List<DeliveryRecord> unsettled(Instant olderThan, int max) {
    Objects.requireNonNull(olderThan, "olderThan");
    if (none(DeliveryStatus.SENDING) && none(DeliveryStatus.UNKNOWN)) {
      return List.of();
    }
    return withStatusIn(
        r -> r.status() == DeliveryStatus.SENDING || r.status() == DeliveryStatus.UNKNOWN,
        olderThan,
        max);
  }

  @Override
  public synchronized List<DeliveryRecord> withStatus(
      DeliveryStatus status, Instant olderThan, int max) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(olderThan, "olderThan");
    if (none(status)) {
      return List.of();
    }
    return withStatusIn(r -> r.status() == status, olderThan, max);
  }

  private List<DeliveryRecord> withStatusIn(
      Predicate<DeliveryRecord> status, Instant olderThan, int max) {
    Objects.requireNonNull(olderThan, "olderThan");
    if (max <= 0) {
      return List.of();
    }
    return records.values().stream()
        .filter(status)
        .filter(r -> r.updatedAt().isBefore(olderThan))
        .sorted(OLDEST_CHANGE_FIRST)
        .limit(max)
        .toList();
  }

  @Override
  public synchronized List<DeliveryRecord> forAccount(
      TenantId tenant, AccountId account, Instant from, Instant to, int max) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Object held = keysByAccount.get(new AccountKey(tenant, account));
    if (held == null || max <= 0) {
      return List.of();
    }
    List<DeliveryRecord> found = new ArrayList<>();
    for (Key k : keysOf(held)) {
      DeliveryRecord r = records.get(k);
      if (r != null && !r.createdAt().isBefore(from) && r.createdAt().isBefore(to)) {
        found.add(r);
      }
    }
    found.sort(OLDEST_INTENT_FIRST);
    return found.size() > max ? List.copyOf(found.subList(0, max)) : List.copyOf(found);
  }

  @Override
  public synchronized int purgeSettledBefore(Instant cutoff, int max) {
    Objects.requireNonNull(cutoff, "cutoff");
    if (max <= 0 || settledSince == null || !settledSince.isBefore(cutoff)) {
      return 0; // no settled record changed before the cutoff: nothing to scan for
    }
    List<DeliveryRecord> due = new ArrayList<>();
    Instant keptSince = null; // the earliest change of the settled records that stay
    for (DeliveryRecord r : records.values()) {
      if (settled(r)) {
        if (r.updatedAt().isBefore(cutoff)) {
          due.add(r);
        } else if (keptSince == null || r.updatedAt().isBefore(keptSince)) {
          keptSince = r.updatedAt();
        }
      }
    }
    due.sort(OLDEST_CHANGE_FIRST);
    List<DeliveryRecord> settled = due.size() > max ? due.subList(0, max) : due;
    if (due.size() > max && (keptSince == null || due.get(max).updatedAt().isBefore(keptSince))) {
      keptSince = due.get(max).updatedAt();
    }
    settled.forEach(this::remove);
    settledSince = keptSince;
    return settled.size();
  }

  @Override
  public synchronized int eraseContact(TenantId tenant, ContactId contact) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(contact, "contact");
    return removeAll(r -> r.tenant().equals(tenant) && r.contact().equals(contact));
  }

  @Override
  public synchronized int eraseTenant(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return removeAll(r -> r.tenant().equals(tenant));
  }

  private int removeAll(Predicate<DeliveryRecord> which) {
    List<DeliveryRecord> gone = records.values().stream().filter(which).toList();
    gone.forEach(this::remove);
    return gone.size();
  }

  private void remove(DeliveryRecord r) {
    Key key = new Key(r.tenant(), r.idempotencyKey());
    DeliveryRecord gone = records.remove(key);
    if (gone != null) {
      statusCounts[gone.status().ordinal()]--;
    }
    keysByMessage.remove(r.messageId(), key);
    AccountKey account = new AccountKey(r.tenant(), r.account());
    Object held = keysByAccount.get(account);
    if (held instanceof Key one) {
      if (one.equals(key)) {
        keysByAccount.remove(account, held);
      }
    } else if (held != null) {
      Set<Key> keys = keysOf(held);
      keys.remove(key);
      if (keys.isEmpty()) {
        keysByAccount.remove(account, held);
      }
    }
  }

  /** Adds {@code key} to the account's keys: its one Key first, a set from the second on. */
  private void addToAccount(AccountKey account, Key key) {
    Object held = keysByAccount.get(account);
    if (held == null) {
      keysByAccount.put(account, key);
    } else if (held instanceof Key one) {
      if (!one.equals(key)) {
        Set<Key> keys = new HashSet<>();
        keys.add(one);
        keys.add(key);
        keysByAccount.put(account, keys);
      }
    } else {
      keysOf(held).add(key);
    }
  }

  /** The keys an account's entry holds (its one Key, or its set). */
  @SuppressWarnings("unchecked")
  private static Set<Key> keysOf(Object held) {
    return held instanceof Key one ? Set.of(one) : (Set<Key>) held;
  }

  private static Key key(TenantId tenant, String idempotencyKey) {
    return new Key(
        Objects.requireNonNull(tenant, "tenant"),
        Objects.requireNonNull(idempotencyKey, "idempotencyKey"));
  }
}
