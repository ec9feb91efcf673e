package dev.steward.delivery;

import dev.steward.model.EmailEvent;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the delivery ledger from provider events. Mail providers have no idempotency key, so a
 * send whose outcome was unknown (a time-out after the request left) is never resent blindly; the
 * first event that names the message (SendGrid's {@code processed}, carrying our message id in
 * {@code custom_args}) proves that the provider took it, and the record becomes SENT. A message
 * waiting for a retry that turns out to have been taken is cancelled from the deferred work, so it
 * is not sent twice, and its gates are told it went out ({@link Gate#confirmSent}): the RETRYABLE
 * answer had given its cap slot back, and a message that went out always counts.
 */
public final class LedgerReconciler implements EmailEventListener {
  private static final Logger log = LoggerFactory.getLogger(LedgerReconciler.class);

  /** The event attribute that carries the provider's own message id, when there is one. */
  public static final String PROVIDER_MESSAGE_ID = "sg_message_id";

  private final Dispatcher dispatcher;
  private final DeliveryLedger ledger;
  private final Clock clock;

  private LedgerReconciler(Dispatcher dispatcher, Clock clock) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    this.ledger = dispatcher.ledger();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A reconciler over a dispatcher's ledger, deferred work and gates. */
  public static LedgerReconciler of(Dispatcher dispatcher, Clock clock) {
    return new LedgerReconciler(dispatcher, clock);
  }

  /**
   * Idempotent: an event applied twice (the engine runs event work at least once) finds the record
   * settled the second time and changes nothing.
   */
  @Override
  public void onEvents(List<EmailEvent> events) {
    for (EmailEvent event : events) {
      event.messageId().flatMap(ledger::findByMessage).ifPresent(record -> settle(event, record));
    }
  }

  private void settle(EmailEvent event, DeliveryRecord record) {
    DeliveryStatus was = record.status();
    if (!was.mayMoveTo(DeliveryStatus.SENT)) {
      return;
    }
    // the record names its tenant: an event that lost its custom args still settles it
    Optional<DeferredMessage> pending = dispatcher.deferred(record.tenant(), record.messageId());
    if (was == DeliveryStatus.RETRYING || was == DeliveryStatus.FAILED) {
      // before the record is settled: confirming is idempotent, so if it fails the batch is
      // retried and the record is still what it was for the next attempt
      confirmToGates(record, pending);
    }
    String providerId = event.attributes().get(PROVIDER_MESSAGE_ID);
    if (!ledger.markOutcome(
        record.tenant(),
        record.idempotencyKey(),
        DeliveryStatus.SENT,
        providerId,
        clock.instant())) {
      return; // another instance or event settled it first
    }
    if (pending.isPresent()) {
      // it went out: the retry (or the wait for settling) must not send it again
      dispatcher.cancelDeferred(record.tenant(), record.messageId());
    }
    log.info(
        "message {} settled as SENT (was {}) by a {} event", record.messageId(), was, event.type());
  }

  /**
   * Tells the gates that a RETRYING message went out. Its send time is when the attempt ended (the
   * record's last change): the same for every event and instance that settles it, so the gates
   * count it once.
   */
  private void confirmToGates(DeliveryRecord record, Optional<DeferredMessage> pending) {
    List<Gate> gates = dispatcher.gates();
    if (gates.isEmpty()) {
      return;
    }
    if (pending.isEmpty()) {
      log.warn(
          "message {} went out but is no longer pending; its gates cannot count it",
          record.messageId());
      return;
    }
    for (Gate gate : gates) {
      gate.confirmSent(pending.get().message(), record.updatedAt());
    }
  }
}
