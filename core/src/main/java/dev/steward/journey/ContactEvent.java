package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.EmailEventType;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Locale;

/**
 * Something a contact did or that happened to them, kept for the event counts of segments ({@link
 * Segment#events}) and matched by event triggers: an application's own event ({@code login}, {@code
 * usage-limit-reached}) or a provider event, named {@code email.} and its type in lower case
 * ({@code email.open}, {@code email.bounce}).
 *
 * @param id unique per tenant: recording an event of a known id again changes nothing
 * @param name lower case, at most {@value #MAX_NAME} characters
 */
public record ContactEvent(TenantId tenant, ContactId contact, String id, String name, Instant at) {

  /** The longest event name. */
  public static final int MAX_NAME = 100;

  /** The longest event id. */
  public static final int MAX_ID = 200;

  /** The prefix of the names of provider events. */
  public static final String EMAIL_PREFIX = "email.";

  public ContactEvent {
    InvalidJourneyException.requireNonNull(tenant, "tenant of an event");
    InvalidJourneyException.requireNonNull(contact, "contact of an event");
    if (id == null || id.isBlank() || id.length() > MAX_ID) {
      throw new InvalidJourneyException(
          "event id must be 1 to " + MAX_ID + " characters, was " + id);
    }
    ContactProfile.checkAttribute(id, "event id");
    name = checkName(name);
    InvalidJourneyException.requireNonNull(at, "time of event " + id);
    String late = StoreLimits.instantProblem(at);
    if (late != null) {
      throw new InvalidJourneyException("time of event " + id + ": " + late);
    }
  }

  /** The name of a provider event type: {@code email.open}. */
  public static String emailEvent(EmailEventType type) {
    return EMAIL_PREFIX + type.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Checks an event name and returns it stripped and in lower case; a name starting with {@value
   * #EMAIL_PREFIX} must name a provider event type.
   */
  public static String checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidJourneyException("an event name must not be blank");
    }
    String n = name.strip().toLowerCase(Locale.ROOT);
    if (n.length() > MAX_NAME) {
      throw new InvalidJourneyException(
          "event name is " + n.length() + " characters; at most " + MAX_NAME);
    }
    ContactProfile.checkAttribute(n, "event name");
    if (n.startsWith(EMAIL_PREFIX)) {
      String type = n.substring(EMAIL_PREFIX.length());
      boolean known = false;
      for (EmailEventType t : EmailEventType.values()) {
        known |= t.name().toLowerCase(Locale.ROOT).equals(type);
      }
      if (!known) {
        throw new InvalidJourneyException(
            "event '"
                + name
                + "': unknown provider event type '"
                + type
                + "'; use email. and one of "
                + java.util.Arrays.toString(EmailEventType.values()).toLowerCase(Locale.ROOT));
      }
    }
    return n;
  }
}
