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
import java.util.stream.Stream;

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

  /**
   * Where a record is kept: the tenant's map by idempotency key and the map by message id hold the
   * same slot, so an outcome is one lookup and no write to either map, and the message id's entry
   * needs no key object of its own.
   */
  private static final class Slot {
    DeliveryRecord record;

    Slot(DeliveryRecord record) {
      this.record = record;
    }
  }

  /**
   * One tenant's records by idempotency key, and its accounts' keys: keyed by the key's string and
   * the account id themselves, a lookup with the objects a message carries matches by identity
   * without reading the stored key (a cache miss per lookup on a large ledger).
   */
  private static final class Tenant {
    final Map<String, Slot> records = new HashMap<>();
    // an account's idempotency keys: its one String while it has one (most accounts, in most
    // windows: no set made per account), a Set<String> once it has two
    final Map<AccountId, Object> keysByAccount = new HashMap<>();
  }

  // The maps change together under the instance's lock, so a message id can never gain a second
  // key.
  private final Map<TenantId, Tenant> tenants = new HashMap<>();
  // A message id keeps the record it was first recorded with: one message id, one record, for good.
  // A record is here under its message id exactly while it is in its tenant's map.
  private final Map<MessageId, Slot> byMessage = new HashMap<>();
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
    TenantId tenant = message.tenant();
    String key = message.idempotencyKey();
    Slot slot =
        new Slot(
            new DeliveryRecord(
                tenant,
                key,
                message.id(),
                message.account(),
                message.contact(),
                DeliveryStatus.SENDING,
                Optional.empty(),
                at,
                at));
    // one lookup to find the message id's record and to take the id for this one if it has none
    Slot held = byMessage.putIfAbsent(message.id(), slot);
    if (held != null) {
      // the message's one record: under another key (or tenant) it is refused; under this key it
      // is retried if its status allows
      DeliveryRecord existing = held.record;
      if (!(existing.tenant().equals(tenant)
          && existing.idempotencyKey().equals(key)
          && existing.status().mayRetry())) {
        return false;
      }
      move(held, existing.movedTo(DeliveryStatus.SENDING, null, at));
      return true;
    }
    Tenant t = tenants.computeIfAbsent(tenant, x -> new Tenant());
    // likewise for the key: a record there is another message's (this one's would have been found
    // by its id above), and is left as it is, the id taken back
    if (t.records.putIfAbsent(key, slot) != null) {
      byMessage.remove(message.id());
      return false;
    }
    counted(null, slot.record);
    addToAccount(t, message.account(), key);
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
    checkKey(tenant, idempotencyKey);
    Tenant t = tenants.get(tenant);
    Slot slot = t == null ? null : t.records.get(idempotencyKey);
    if (slot == null || !slot.record.status().mayMoveTo(status)) {
      return false;
    }
    move(slot, slot.record.movedTo(status, providerMessageId, at));
    return true;
  }

  /** Puts {@code next} in the slot in place of its record, keeping the status counts. */
  private void move(Slot slot, DeliveryRecord next) {
    counted(slot.record, next);
    slot.record = next;
  }

  /** Counts {@code next} in place of {@code old} (null: none) by status and settling time. */
  private void counted(DeliveryRecord old, DeliveryRecord next) {
    statusCounts[next.status().ordinal()]++;
    if (settled(next) && (settledSince == null || next.updatedAt().isBefore(settledSince))) {
      settledSince = next.updatedAt();
    }
    if (old != null) {
      statusCounts[old.status().ordinal()]--;
    }
  }

  private DeliveryRecord get(TenantId tenant, String idempotencyKey) {
    Tenant t = tenants.get(tenant);
    Slot slot = t == null ? null : t.records.get(idempotencyKey);
    return slot == null ? null : slot.record;
  }

  /** Every record, tenant by tenant. */
  private Stream<DeliveryRecord> all() {
    return tenants.values().stream().flatMap(t -> t.records.values().stream().map(s -> s.record));
  }

  private static boolean settled(DeliveryRecord r) {
    return r.status() == DeliveryStatus.SENT || r.status() == DeliveryStatus.FAILED;
  }

  private boolean none(DeliveryStatus status) {
    return statusCounts[status.ordinal()] == 0;
  }

  @Override
  public synchronized Optional<DeliveryRecord> find(TenantId tenant, String idempotencyKey) {
    checkKey(tenant, idempotencyKey);
    return Optional.ofNullable(get(tenant, idempotencyKey));
  }

  @Override
  public synchronized Optional<DeliveryRecord> findByMessage(MessageId messageId) {
    Objects.requireNonNull(messageId, "messageId");
    Slot slot = byMessage.get(messageId);
    return slot == null ? Optional.empty() : Optional.of(slot.record);
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
    return all()
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
    Tenant t = tenants.get(tenant);
    Object held = t == null ? null : t.keysByAccount.get(account);
    if (held == null || max <= 0) {
      return List.of();
    }
    List<DeliveryRecord> found = new ArrayList<>();
    for (String k : keysOf(held)) {
      Slot slot = t.records.get(k);
      DeliveryRecord r = slot == null ? null : slot.record;
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
    for (DeliveryRecord r : (Iterable<DeliveryRecord>) all()::iterator) {
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
    List<DeliveryRecord> gone = all().filter(which).toList();
    gone.forEach(this::remove);
    return gone.size();
  }

  private void remove(DeliveryRecord r) {
    Tenant t = tenants.get(r.tenant());
    if (t == null) {
      return;
    }
    String key = r.idempotencyKey();
    Slot gone = t.records.remove(key);
    if (gone != null) {
      statusCounts[gone.record.status().ordinal()]--;
      byMessage.remove(r.messageId(), gone);
    }
    Object held = t.keysByAccount.get(r.account());
    if (held instanceof String one) {
      if (one.equals(key)) {
        t.keysByAccount.remove(r.account());
      }
    } else if (held != null) {
      Set<String> keys = keysOf(held);
      keys.remove(key);
      if (keys.isEmpty()) {
        t.keysByAccount.remove(r.account());
      }
    }
    if (t.records.isEmpty()) {
      tenants.remove(r.tenant()); // an erased tenant leaves no maps behind
    }
  }

  /** Adds {@code key} to the account's keys: its one key first, a set from the second on. */
  private static void addToAccount(Tenant t, AccountId account, String key) {
    Object held = t.keysByAccount.putIfAbsent(account, key); // most accounts: their first key
    if (held == null) {
      return;
    }
    if (held instanceof String one) {
      if (!one.equals(key)) {
        Set<String> keys = new HashSet<>();
        keys.add(one);
        keys.add(key);
        t.keysByAccount.put(account, keys);
      }
    } else {
      keysOf(held).add(key);
    }
  }

  /** The keys an account's entry holds (its one key, or its set). */
  @SuppressWarnings("unchecked")
  private static Set<String> keysOf(Object held) {
    return held instanceof String one ? Set.of(one) : (Set<String>) held;
  }

  private static void checkKey(TenantId tenant, String idempotencyKey) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
  }
}
