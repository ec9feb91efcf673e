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
 * waiting for a retry that turns out to have been taken is taken off the deferred queue, so it is
 * not sent twice, and its gates are told it went out ({@link Gate#confirmSent}): the RETRYABLE
 * answer had given its cap slot back, and a message that went out always counts.
 */
public final class LedgerReconciler implements EmailEventListener {
  private static final Logger log = LoggerFactory.getLogger(LedgerReconciler.class);

  /** The event attribute that carries the provider's own message id, when there is one. */
  public static final String PROVIDER_MESSAGE_ID = "sg_message_id";

  private final DeliveryLedger ledger;
  private final DeferredQueue queue;
  private final Clock clock;
  private final List<Gate> gates;

  /**
   * A reconciler over the dispatcher's ledger and deferred queue that tells no gate of late sends;
   * prefer {@link #of} or the constructor with gates when a gate counts sends.
   */
  public LedgerReconciler(DeliveryLedger ledger, DeferredQueue queue, Clock clock) {
    this(ledger, queue, List.of(), clock);
  }

  /**
   * A reconciler over the dispatcher's ledger and deferred queue that confirms late sends to {@code
   * gates} (the dispatcher's gates).
   */
  public LedgerReconciler(
      DeliveryLedger ledger, DeferredQueue queue, List<Gate> gates, Clock clock) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.gates = List.copyOf(Objects.requireNonNull(gates, "gates"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A reconciler over a dispatcher's own stores and gates. */
  public static LedgerReconciler of(Dispatcher dispatcher, Clock clock) {
    return new LedgerReconciler(
        dispatcher.ledger(), dispatcher.deferredQueue(), dispatcher.gates(), clock);
  }

  @Override
  public void onEvents(List<EmailEvent> events) {
    for (EmailEvent event : events) {
      if (event.messageId() == null) {
        continue;
      }
      ledger
          .findByMessage(event.messageId())
          .ifPresent(
              record -> {
                DeliveryStatus was = record.status();
                if (was == DeliveryStatus.SENT || was == DeliveryStatus.FAILED) {
                  return;
                }
                if (was == DeliveryStatus.RETRYING) {
                  // before the record is settled: confirming is idempotent, so if it fails the
                  // batch is retried and the record is still RETRYING for the next attempt
                  confirmToGates(record);
                }
                String providerId = event.attributes().get(PROVIDER_MESSAGE_ID);
                ledger.markOutcome(
                    record.idempotencyKey(), DeliveryStatus.SENT, providerId, clock.instant());
                if (was == DeliveryStatus.RETRYING) {
                  queue.cancel(record.messageId());
                }
                log.info(
                    "message {} settled as SENT (was {}) by a {} event",
                    record.messageId(),
                    was,
                    event.type());
              });
    }
  }

  /**
   * Tells the gates that a RETRYING message went out. Its send time is when the attempt ended (the
   * record's last change): the same for every event and instance that settles it, so the gates
   * count it once.
   */
  private void confirmToGates(DeliveryRecord record) {
    if (gates.isEmpty()) {
      return;
    }
    Optional<DeferredMessage> pending = queue.find(record.messageId());
    if (pending.isEmpty()) {
      log.warn(
          "message {} went out but is no longer queued; its gates cannot count it",
          record.messageId());
      return;
    }
    for (Gate gate : gates) {
      gate.confirmSent(pending.get().message(), record.updatedAt());
    }
  }
}
