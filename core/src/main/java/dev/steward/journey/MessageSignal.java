package dev.steward.journey;

import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;

/**
 * An open or click of a message that an enrolment sent, remembered by the {@link JourneyStore} so
 * that a wait for it that begins only later (after a pause, or while the message was deferred) is
 * satisfied by it.
 *
 * @param enrolmentId the enrolment whose send step sent the message
 * @param event {@link Step#OPENED} or {@link Step#CLICKED}
 * @param at when the contact opened or clicked it
 */
public record MessageSignal(
    TenantId tenant, String enrolmentId, MessageId message, String event, Instant at) {

  public MessageSignal {
    InvalidJourneyException.requireNonNull(tenant, "tenant of a signal");
    if (enrolmentId == null || enrolmentId.isBlank() || enrolmentId.length() > Enrolment.MAX_ID) {
      throw new InvalidJourneyException(
          "enrolment id of a signal must be 1 to "
              + Enrolment.MAX_ID
              + " characters, was "
              + enrolmentId);
    }
    InvalidJourneyException.requireNonNull(message, "message of a signal");
    if (!Step.OPENED.equals(event) && !Step.CLICKED.equals(event)) {
      throw new InvalidJourneyException(
          "a signal of message " + message + " is opened or clicked, was " + event);
    }
    Enrolment.storable(at, "time of the signal '" + event + "' of message " + message);
  }
}
