package dev.steward.sendgrid.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.steward.governance.GovernanceListener;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.InvalidModelException;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses the body of a SendGrid Event Webhook request (a JSON array of events) into core's {@link
 * EmailEvent}s, ready for {@code Steward.accept}. Verify the request first ({@link
 * EventWebhookVerifier}).
 *
 * <ul>
 *   <li>{@code sg_event_id} becomes the event id, {@code email} the address and {@code timestamp}
 *       (unix seconds) the time; an event lacking one of them refuses the whole batch.
 *   <li>{@code event} gives the type: {@code processed}, {@code delivered}, {@code deferred},
 *       {@code bounce}, {@code dropped}, {@code open}, {@code click}, {@code spamreport}, {@code
 *       unsubscribe}, {@code group_unsubscribe} and {@code group_resubscribe}. A bounce stays a
 *       {@link EmailEventType#BOUNCE} whatever its {@code type} ({@code bounce} or {@code
 *       blocked}), which core's suppression listener reads from the attributes. An event of any
 *       other type is skipped, counted ({@link #unknownEventTypes()}) and logged at WARN; it does
 *       not refuse the batch.
 *   <li>Steward's custom args, which SendGrid writes as top-level fields of each event: {@value
 *       #MESSAGE_ID_ARG}, {@value #TENANT_ARG}, {@value #ACCOUNT_ARG} and {@value #CONTACT_ARG}.
 *   <li>{@code category}: a string, or an array of which the first is taken (Steward sends one
 *       category per message, first). A value that is not a valid Steward category (mail another
 *       system sent on the account) leaves the event without a category and is kept as the
 *       attribute {@value #CATEGORY_ATTRIBUTE}, counted by {@link #foreignCategories()}.
 *   <li>{@code reason}, {@code type}, {@code status}, {@code url}, {@code sg_message_id} and {@code
 *       asm_group_id} are kept as string attributes under the same names; other fields (user agent,
 *       IP, SMTP response) are not kept.
 * </ul>
 *
 * <p>Parsing is strict: a body that is not one JSON array of objects, holds a duplicate field or
 * anything after the array is refused with a {@link MalformedEventsException} naming the line and
 * column, or the index of the bad event, without quoting the body. Each event's fields are read
 * straight from the token stream, no tree per event; every value is still read to its end, so a
 * malformed string or a duplicate anywhere in an event is refused as a tree would refuse it.
 * Thread-safe.
 */
public final class SendGridEvents {
  private static final Logger log = LoggerFactory.getLogger(SendGridEvents.class);

  /** The custom arg carrying Steward's message id. */
  public static final String MESSAGE_ID_ARG = "steward_message_id";

  /** The custom arg carrying the tenant that sent the message. */
  public static final String TENANT_ARG = "steward_tenant";

  /** The custom arg carrying the account the message went to. */
  public static final String ACCOUNT_ARG = "steward_account";

  /** The custom arg carrying the contact the message went to. */
  public static final String CONTACT_ARG = "steward_contact";

  /**
   * The custom arg carrying the IP pool the transport sent the message from: SendGrid names the
   * pool on {@code processed} events only, so the pool travels with every event this way.
   */
  public static final String POOL_ARG = "steward_pool";

  /** The custom arg carrying the journey step that sent the message. */
  public static final String JOURNEY_STEP_ARG = "steward_journey_step";

  /** The SendGrid fields kept as event attributes, under the same names. */
  public static final List<String> ATTRIBUTES =
      List.of("reason", "type", "status", "url", "sg_message_id", "asm_group_id");

  /**
   * The attribute holding {@link #POOL_ARG}: the one governance counts pool metrics by ({@code
   * GovernanceListener.ATTRIBUTE_POOL}).
   */
  public static final String POOL_ATTRIBUTE = GovernanceListener.ATTRIBUTE_POOL;

  /**
   * The attribute holding {@link #JOURNEY_STEP_ARG}: the one core's journey analytics places an
   * event by ({@code JourneyAnalytics.JOURNEY_STEP_ATTRIBUTE}).
   */
  public static final String JOURNEY_STEP_ATTRIBUTE =
      dev.steward.journey.JourneyAnalytics.JOURNEY_STEP_ATTRIBUTE;

  /** Every attribute name, in the order of {@link EventFields#attributes}. */
  private static final String[] ATTRIBUTE_NAMES = attributeNames();

  private static String[] attributeNames() {
    List<String> names = new java.util.ArrayList<>(ATTRIBUTES);
    names.add(POOL_ATTRIBUTE);
    names.add(JOURNEY_STEP_ATTRIBUTE);
    return names.toArray(new String[0]);
  }

  /**
   * The attribute holding a category that is not a valid Steward category (such as SendGrid's own
   * example {@code cat facts}, from mail another system sent on the account).
   */
  public static final String CATEGORY_ATTRIBUTE = "category";

  private static final Map<String, EmailEventType> TYPES = types();

  private final ObjectMapper mapper;
  private final JsonFactory strict;
  private final LongAdder unknown = new LongAdder();
  private final LongAdder foreign = new LongAdder();
  private final LongAdder badAddresses = new LongAdder();

  private SendGridEvents() {
    // duplicate fields are found by EventFields; the strict factory only names where (rare)
    this.mapper =
        JsonMapper.builder(
                JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build())
            .build();
    this.strict =
        JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
  }

  /** A parser. */
  public static SendGridEvents of() {
    return new SendGridEvents();
  }

  /** The longest attribute value kept; longer ones are cut. */
  public static final int MAX_ATTRIBUTE_CHARS = 2_000;

  /**
   * How many events of accepted batches named an address the model cannot hold: kept without it
   * when they name a contact, else skipped.
   */
  public long invalidAddresses() {
    return badAddresses.sum();
  }

  /** How many events of a type this parser does not know it has skipped. */
  public long unknownEventTypes() {
    return unknown.sum();
  }

  /**
   * How many events carried a category that is not a valid Steward category (see {@link
   * #CATEGORY_ATTRIBUTE}): the event is kept, without a category.
   */
  public long foreignCategories() {
    return foreign.sum();
  }

  /**
   * The events of a webhook body, in the order SendGrid wrote them.
   *
   * @throws MalformedEventsException if the body is not a JSON array of events, or an event lacks
   *     its id, type, address or time or carries an invalid one
   */
  public List<EmailEvent> parse(byte[] body) {
    Objects.requireNonNull(body, "body");
    List<EmailEvent> events = new ArrayList<>();
    Tally tally = new Tally();
    try (JsonParser p = mapper.createParser(body)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw malformed(p, "the webhook body is not a JSON array");
      }
      int index = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), index++) {
        if (t != JsonToken.START_OBJECT) {
          throw malformed(p, "event [" + index + "] is not a JSON object");
        }
        EmailEvent event = event(index, EventFields.read(p, mapper), tally);
        if (event != null) {
          events.add(event);
        }
      }
      if (p.nextToken() != null) {
        throw malformed(p, "the webhook body holds something after its JSON array");
      }
    } catch (EventFields.DuplicateFieldException e) {
      throw duplicate(body);
    } catch (JsonProcessingException e) {
      throw notWellFormed(e);
    } catch (IOException e) {
      throw new MalformedEventsException("the webhook body could not be read");
    }
    // counted only for a batch that is taken: SendGrid sends a refused batch again
    unknown.add(tally.unknown);
    foreign.add(tally.foreign);
    badAddresses.add(tally.badAddresses);
    return Collections.unmodifiableList(events);
  }

  /** Jackson's own refusal of the first duplicate field, where it names it. */
  private MalformedEventsException duplicate(byte[] body) {
    try (JsonParser p = strict.createParser(body)) {
      while (p.nextToken() != null) {
        // the same tokens as before, up to the duplicate
      }
    } catch (JsonProcessingException e) {
      return notWellFormed(e);
    } catch (IOException e) {
      return new MalformedEventsException("the webhook body could not be read");
    }
    // not reached: EventFields found a duplicate, so Jackson does too
    return new MalformedEventsException("the webhook body is not well-formed JSON");
  }

  private static MalformedEventsException notWellFormed(JsonProcessingException e) {
    // not Jackson's exception as the cause: its message quotes the body (an address, say)
    return new MalformedEventsException(
        "the webhook body is not well-formed JSON" + at(e.getLocation()));
  }

  /**
   * What one parse skipped or changed, added to the totals when the batch is taken, and the
   * addresses it has read: a batch names the same recipient in several events (processed,
   * delivered, open), and {@link EmailAddress#of} gives the same answer for the same text.
   */
  private static final class Tally {
    long unknown;
    long foreign;
    long badAddresses;
    final Map<String, Optional<EmailAddress>> addresses = new HashMap<>();

    /** The address, or null when the model refuses it. */
    EmailAddress address(String email) {
      Optional<EmailAddress> known = addresses.get(email);
      if (known == null) {
        known = Optional.ofNullable(addressOrNull(email));
        addresses.put(email, known);
      }
      return known.orElse(null);
    }
  }

  private EmailEvent event(int index, EventFields node, Tally tally) {
    String eventId = requiredText(index, node.eventId, "sg_event_id");
    String name = requiredText(index, node.event, "event");
    EmailEventType type = TYPES.get(name);
    if (type == null) {
      tally.unknown++;
      log.warn("event [{}] {} of unknown type '{}' skipped", index, eventId, name);
      return null;
    }
    switch (node.timestampState) {
      case EventFields.TS_ABSENT, EventFields.TS_NULL -> throw refused(index, "has no timestamp");
      case EventFields.TS_BAD ->
          throw refused(index, "has a timestamp that is not a unix time in seconds");
      default -> {
        // TS_OK
      }
    }
    Instant at;
    try {
      at = Instant.ofEpochSecond(node.timestamp);
    } catch (RuntimeException e) {
      throw refused(index, "has a timestamp out of range");
    }
    String email = requiredText(index, node.email, "email");
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < ATTRIBUTE_NAMES.length; i++) {
      Object v = node.attributes[i];
      if (EventFields.keptAsAttribute(v)) {
        attributes.put(ATTRIBUTE_NAMES[i], bounded(EventFields.text(v)));
      }
    }
    String category = category(index, eventId, node.category, attributes, tally);
    EmailAddress address = tally.address(email);
    ContactId contact;
    try {
      contact = id(node.contact, ContactId::of);
    } catch (RuntimeException e) {
      // refused like the other custom args: a malformed batch (4xx), never an error SendGrid
      // would retry for ever
      throw new MalformedEventsException(
          "event [" + index + "] " + eventId + ": " + e.getMessage());
    }
    if (address == null) {
      // an address the model cannot hold (SendGrid's "Invalid" drops name such): the event goes on
      // with its contact if it names one, else it is skipped; never the whole batch
      tally.badAddresses++;
      if (contact == null) {
        log.warn(
            "event [{}] {}: its address is not a valid one and it names no contact; skipped",
            index,
            eventId);
        return null;
      }
    }
    try {
      return EmailEvent.of(
          eventId,
          type,
          at,
          address,
          id(node.messageId, MessageId::of),
          id(node.tenant, TenantId::of),
          id(node.account, AccountId::of),
          contact,
          category,
          attributes);
    } catch (MalformedEventsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new MalformedEventsException(
          "event [" + index + "] " + eventId + ": " + e.getMessage());
    }
  }

  /** The address, or null when the model refuses it (its message would quote the address). */
  private static EmailAddress addressOrNull(String email) {
    try {
      return EmailAddress.of(email);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * An attribute value cut to {@link #MAX_ATTRIBUTE_CHARS}: a provider's reason or url is kept for
   * people to read, and one huge value must not make its batch too large to store.
   */
  private static String bounded(String value) {
    return value.length() <= MAX_ATTRIBUTE_CHARS ? value : value.substring(0, MAX_ATTRIBUTE_CHARS);
  }

  private static <T> T id(Object slot, Function<String, T> of) {
    if (EventFields.absentOrNull(slot)) {
      return null;
    }
    return of.apply(EventFields.text(slot));
  }

  private String category(
      int index, String eventId, Object c, Map<String, String> attributes, Tally tally) {
    if (c == null) {
      return null;
    }
    if (!(c instanceof String raw)) {
      throw refused(index, "has a category that is neither a string nor an array of strings");
    }
    try {
      return Message.category(raw);
    } catch (InvalidModelException e) {
      // not a category Steward sends (another system on the account): kept as an attribute
      tally.foreign++;
      log.debug(
          "event [{}] {}: category is not a Steward category; kept as attribute", index, eventId);
      attributes.put(CATEGORY_ATTRIBUTE, bounded(raw));
      return null;
    }
  }

  private static String requiredText(int index, Object slot, String field) {
    if (EventFields.absentOrNull(slot)) {
      throw refused(index, "has no " + field);
    }
    if (!(slot instanceof String text) || text.isBlank()) {
      throw refused(index, "has a " + field + " that is not a non-blank string");
    }
    return text;
  }

  private static MalformedEventsException refused(int index, String what) {
    return new MalformedEventsException("event [" + index + "] " + what);
  }

  private static MalformedEventsException malformed(JsonParser p, String what) {
    return new MalformedEventsException(what + at(p.currentLocation()));
  }

  private static String at(JsonLocation l) {
    return l == null || l.getLineNr() < 0
        ? ""
        : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
  }

  private static Map<String, EmailEventType> types() {
    Map<String, EmailEventType> m = new LinkedHashMap<>();
    m.put("processed", EmailEventType.PROCESSED);
    m.put("delivered", EmailEventType.DELIVERED);
    m.put("deferred", EmailEventType.DEFERRED);
    m.put("bounce", EmailEventType.BOUNCE);
    m.put("dropped", EmailEventType.DROPPED);
    m.put("open", EmailEventType.OPEN);
    m.put("click", EmailEventType.CLICK);
    m.put("spamreport", EmailEventType.SPAM_REPORT);
    m.put("unsubscribe", EmailEventType.UNSUBSCRIBE);
    m.put("group_unsubscribe", EmailEventType.GROUP_UNSUBSCRIBE);
    m.put("group_resubscribe", EmailEventType.GROUP_RESUBSCRIBE);
    return Map.copyOf(m);
  }

  @Override
  public String toString() {
    return "SendGridEvents[unknownEventTypes="
        + unknownEventTypes()
        + ", foreignCategories="
        + foreignCategories()
        + "]";
  }
}
