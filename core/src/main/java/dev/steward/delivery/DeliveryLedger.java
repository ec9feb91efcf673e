package dev.steward.delivery;

import dev.steward.internal.Sized;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Store of send intents and outcomes, keyed by tenant and idempotency key: the intent is written
 * before the transport is called, so a message is never sent twice, even by two instances at once.
 */
public interface DeliveryLedger {

  /**
   * Writes the intent to send, atomically: true if there was no record for the message's
   * idempotency key, or the record is {@link DeliveryStatus#RETRYING} for this same message id (it
   * then becomes {@link DeliveryStatus#SENDING}); false otherwise, and nothing changes.
   *
   * <p>A message id has at most one record, for good: an intent for a message id that already has a
   * record under a different idempotency key is refused (false, as for a taken key; the dispatcher
   * answers DUPLICATE), whatever that record's status, and whichever tenant it belongs to. Provider
   * events name the message id, so two records for it would leave {@link #findByMessage} unable to
   * settle either. JDBC stores enforce this with a unique index, so it holds across instances.
   */
  boolean recordIntent(Message message, Instant at);

  /**
   * Moves the record of a tenant's key to an outcome, atomically, if its current status may move
   * there (see {@link DeliveryStatus#mayMoveTo}): true if it moved, and then the provider id and
   * time are those given. False if there is no record for the key or the move is not allowed (a
   * late answer after a later one, such as UNKNOWN after SENT); the record is then unchanged. A
   * caller that acts on the outcome (defers a retry, for instance) should act only on true.
   *
   * @param providerMessageId the provider's id, or null when the outcome carries none
   */
  boolean markOutcome(
      TenantId tenant,
      String idempotencyKey,
      DeliveryStatus status,
      String providerMessageId,
      Instant at);

  /** The record of a tenant's idempotency key. */
  Optional<DeliveryRecord> find(TenantId tenant, String idempotencyKey);

  /**
   * The records of a tenant's idempotency keys, by key; keys without a record are absent from the
   * map. The set-based form of {@link #find} for a batch ({@link Dispatcher#dispatchAll}): a
   * database answers it in one statement per few hundred keys. The default asks {@link #find} for
   * each key.
   */
  default Map<String, DeliveryRecord> findAll(TenantId tenant, Collection<String> idempotencyKeys) {
    Objects.requireNonNull(idempotencyKeys, "idempotencyKeys");
    Map<String, DeliveryRecord> found = new LinkedHashMap<>(Sized.capacity(idempotencyKeys.size()));
    for (String key : idempotencyKeys) {
      find(tenant, key).ifPresent(r -> found.put(key, r));
    }
    return found;
  }

  /**
   * Writes the intents of several messages, each exactly as {@link #recordIntent} would in list
   * order (so of two messages with one idempotency key only the first is written), and answers the
   * ids of the messages whose intent was written: message ids are unique across the ledger, where
   * idempotency keys are unique only within a tenant. When it returns, every intent it answers is
   * durable, as {@link #recordIntent}'s is. A database writes them in one statement per few hundred
   * messages; the default calls {@link #recordIntent} for each.
   */
  default Set<MessageId> recordIntents(List<Message> messages, Instant at) {
    Objects.requireNonNull(messages, "messages");
    Set<MessageId> written = new LinkedHashSet<>(Sized.capacity(messages.size()));
    for (Message m : messages) {
      if (recordIntent(m, at)) {
        written.add(m.id());
      }
    }
    return written;
  }

  /**
   * Moves several records, each exactly as {@link #markOutcome} would in list order, and answers
   * the marks that moved, in list order. A database moves them in one statement per tenant and
   * status (per few hundred records); the default calls {@link #markOutcome} for each.
   */
  default List<OutcomeMark> markOutcomes(List<OutcomeMark> marks) {
    Objects.requireNonNull(marks, "marks");
    List<OutcomeMark> moved = new java.util.ArrayList<>();
    for (OutcomeMark m : marks) {
      Objects.requireNonNull(m, "marks holds null");
      if (markOutcome(
          m.tenant(), m.idempotencyKey(), m.status(), m.providerMessageId().orElse(null), m.at())) {
        moved.add(m);
      }
    }
    return moved;
  }

  /**
   * Runs {@code work} so that this ledger's writes in it (and, for a database, every other store's
   * writes over the same data source) commit together, once, where the ledger can; answers what
   * {@code work} answers. The dispatcher runs a batch's outcomes and its listeners in it. A
   * database ledger rolls back and runs {@code work} again, its writes each alone, when any write
   * in it fails, so {@code work} must be safe to run twice. Never put a write in it that must be
   * durable before something outside the store happens (an intent before its send). The default
   * just runs {@code work}.
   */
  default <T> T together(Supplier<T> work) {
    return Objects.requireNonNull(work, "work").get();
  }

  /**
   * The record of a message, by its id: provider events carry the message id back, not the
   * idempotency key. There is never more than one (see {@link #recordIntent}).
   */
  Optional<DeliveryRecord> findByMessage(MessageId messageId);

  /**
   * Records whose outcome is still open ({@link DeliveryStatus#SENDING} or {@link
   * DeliveryStatus#UNKNOWN}) and unchanged since before {@code olderThan}, oldest first, at most
   * {@code max}: the sends no provider event has settled, for an operator or a sweep to look at.
   */
  List<DeliveryRecord> unsettled(Instant olderThan, int max);

  /**
   * Records in {@code status} unchanged since before {@code olderThan}, oldest first, at most
   * {@code max}. The stores answer it from their (status, time) index; this default filters {@link
   * #unsettled} and so sees only SENDING and UNKNOWN records, and only among the oldest {@code
   * max}.
   */
  default List<DeliveryRecord> withStatus(DeliveryStatus status, Instant olderThan, int max) {
    return unsettled(olderThan, max).stream().filter(r -> r.status() == status).toList();
  }

  /**
   * Deletes at most {@code max} settled records ({@link DeliveryStatus#SENT} or {@link
   * DeliveryStatus#FAILED}) unchanged since before {@code cutoff}, oldest first, and returns how
   * many; fewer than {@code max} means none is left. Records whose outcome is open (SENDING,
   * RETRYING, UNKNOWN) are never deleted, however old. A record that moves on while the purge runs
   * (FAILED to SENT) is judged by its new time, in the same atomic step as its deletion. Once
   * deleted, its idempotency key and message id may be recorded again: see {@link
   * DeliveryLedgerRetention} for a retention that outlives every retry and every provider event.
   * {@code max} below 1 deletes nothing.
   *
   * <p>The default refuses, for ledgers written before retention existed.
   *
   * @throws UnsupportedOperationException if the ledger cannot purge
   */
  default int purgeSettledBefore(Instant cutoff, int max) {
    throw new UnsupportedOperationException(
        getClass().getName() + " cannot purge settled records; implement purgeSettledBefore");
  }

  /**
   * The records of an account whose intent was written in {@code [from, to)}, oldest first, at most
   * {@code max}: what was sent to an account over a period, for health measures and reports.
   */
  List<DeliveryRecord> forAccount(
      TenantId tenant, AccountId account, Instant from, Instant to, int max);

  /**
   * Deletes every record of a contact (the erasure of a person); the number deleted. Its
   * idempotency keys may then be recorded again.
   */
  int eraseContact(TenantId tenant, ContactId contact);

  /** Deletes every record of a tenant; the number deleted. Idempotent. */
  int eraseTenant(TenantId tenant);
}
