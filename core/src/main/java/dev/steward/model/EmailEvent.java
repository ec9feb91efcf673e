package dev.steward.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Something that happened to a sent email, normalised from the provider's event.
 *
 * @param eventId the provider's unique event id (SendGrid's {@code sg_event_id}), used to drop
 *     repeats
 * @param messageId the message the event belongs to, when the provider carried it back
 * @param category the message's category, when known; needed by group unsubscribes
 * @param attributes anything else the provider said (reason, url, status), as strings
 */
public record EmailEvent(
    String eventId,
    EmailEventType type,
    Instant occurredAt,
    EmailAddress email,
    MessageId messageId,
    TenantId tenant,
    AccountId account,
    ContactId contact,
    String category,
    Map<String, String> attributes) {

  public EmailEvent {
    eventId = Ids.check("event id", eventId);
    if (type == null) {
      throw new InvalidModelException("event '" + eventId + "' has no type");
    }
    if (occurredAt == null) {
      throw new InvalidModelException("event '" + eventId + "' has no occurredAt time");
    }
    if (email == null && contact == null) {
      throw new InvalidModelException(
          "event '" + eventId + "' names neither an email nor a contact");
    }
    if (category != null) {
      category = Message.category(category);
    }
    attributes =
        attributes == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** A minimal event about a contact, for tests and for callers that know the contact. */
  public static EmailEvent of(
      String eventId, EmailEventType type, Instant at, ContactId contact, String category) {
    return new EmailEvent(eventId, type, at, null, null, null, null, contact, category, Map.of());
  }

  /** The message this event belongs to, when known. */
  public Optional<MessageId> message() {
    return Optional.ofNullable(messageId);
  }
}
