package dev.steward.delivery;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
