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
    Optional<EmailAddress> email,
    Optional<MessageId> messageId,
    Optional<TenantId> tenant,
    Optional<AccountId> account,
    Optional<ContactId> contact,
    Optional<String> category,
    Map<String, String> attributes) {

  public EmailEvent {
    eventId = Ids.check("event id", eventId);
    if (type == null) {
      throw new InvalidModelException("event '" + eventId + "' has no type");
    }
    if (occurredAt == null) {
      throw new InvalidModelException("event '" + eventId + "' has no occurredAt time");
    }
    email = orEmpty(email);
    messageId = orEmpty(messageId);
    tenant = orEmpty(tenant);
    account = orEmpty(account);
    contact = orEmpty(contact);
    category = orEmpty(category).map(Message::category);
    if (email.isEmpty() && contact.isEmpty()) {
      throw new InvalidModelException(
          "event '" + eventId + "' names neither an email nor a contact");
    }
    attributes =
        attributes == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  private static <T> Optional<T> orEmpty(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }

  /**
   * An event from values that may each be null where the provider did not say: the form an
   * adapter's parser has at hand.
   */
  public static EmailEvent of(
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
    return new EmailEvent(
        eventId,
        type,
        occurredAt,
        Optional.ofNullable(email),
        Optional.ofNullable(messageId),
        Optional.ofNullable(tenant),
        Optional.ofNullable(account),
        Optional.ofNullable(contact),
        Optional.ofNullable(category),
        attributes);
  }

  /** A minimal event about a contact, for tests and for callers that know the contact. */
  public static EmailEvent of(
      String eventId, EmailEventType type, Instant at, ContactId contact, String category) {
    return of(eventId, type, at, null, null, null, null, contact, category, Map.of());
  }

  /**
   * A builder for an event of {@code type} with id {@code eventId} that happened at {@code
   * occurredAt}; name at least an email address or a contact.
   */
  public static Builder builder(String eventId, EmailEventType type, Instant occurredAt) {
    return new Builder(eventId, type, occurredAt);
  }

  /** Builds an {@link EmailEvent}; what is not set is unknown. Validated by {@link #build()}. */
  public static final class Builder {
    private final String eventId;
    private final EmailEventType type;
    private final Instant occurredAt;
    private EmailAddress email;
    private MessageId messageId;
    private TenantId tenant;
    private AccountId account;
    private ContactId contact;
    private String category;
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private Builder(String eventId, EmailEventType type, Instant occurredAt) {
      this.eventId = eventId;
      this.type = type;
      this.occurredAt = occurredAt;
    }

    /** The address the event is about. */
    public Builder email(EmailAddress email) {
      this.email = email;
      return this;
    }

    /** The address the event is about, parsed. */
    public Builder email(String email) {
      return email(EmailAddress.of(email));
    }

    /** The message the event belongs to (SendGrid carries it back in custom args). */
    public Builder message(MessageId messageId) {
      this.messageId = messageId;
      return this;
    }

    /** The tenant that sent the message. */
    public Builder tenant(TenantId tenant) {
      this.tenant = tenant;
      return this;
    }

    /** The account the message went to. */
    public Builder account(AccountId account) {
      this.account = account;
      return this;
    }

    /** The contact the message went to. */
    public Builder contact(ContactId contact) {
      this.contact = contact;
      return this;
    }

    /** The message's category; group unsubscribes need it. */
    public Builder category(String category) {
      this.category = category;
      return this;
    }

    /** One more thing the provider said (a bounce type, a reason, a url), as a string. */
    public Builder attribute(String name, String value) {
      if (name == null || value == null) {
        throw new InvalidModelException(
            "event '" + eventId + "': an attribute needs a name and a value");
      }
      attributes.put(name, value);
      return this;
    }

    /** The event; throws {@link InvalidModelException} naming what is wrong. */
    public EmailEvent build() {
      return EmailEvent.of(
          eventId,
          type,
          occurredAt,
          email,
          messageId,
          tenant,
          account,
          contact,
          category,
          attributes);
    }
  }
}
