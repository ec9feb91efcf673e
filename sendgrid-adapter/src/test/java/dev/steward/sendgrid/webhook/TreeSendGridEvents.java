package dev.steward.sendgrid.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tree-based parser SendGridEvents was before it read events straight from the token stream
 * (commit 81c8e0e), kept only as the reference its replacement is compared against. Its constants
 * are SendGridEvents' own.
 */
final class TreeSendGridEvents {
  private static final Logger log = LoggerFactory.getLogger(TreeSendGridEvents.class);

  /** The custom arg carrying Steward's message id. */
  public static final String MESSAGE_ID_ARG = "steward_message_id";

  /** The custom arg carrying the tenant that sent the message. */
  public static final String TENANT_ARG = "steward_tenant";

  /** The custom arg carrying the account the message went to. */
  public static final String ACCOUNT_ARG = "steward_account";

  /** The custom arg carrying the contact the message went to. */
  public static final String CONTACT_ARG = "steward_contact";

  /** The SendGrid fields kept as event attributes, under the same names. */
  public static final List<String> ATTRIBUTES =
      List.of("reason", "type", "status", "url", "sg_message_id", "asm_group_id");

  /** Custom args kept as attributes: the arg, then the attribute's name. */
  private static final String[][] ARG_ATTRIBUTES = {
    {"steward_pool", "pool"}, {"steward_journey_step", "journey_step"}
  };

  /**
   * The attribute holding a category that is not a valid Steward category (such as SendGrid's own
   * example {@code cat facts}, from mail another system sent on the account).
   */
  public static final String CATEGORY_ATTRIBUTE = "category";

  private static final Map<String, EmailEventType> TYPES = types();

  private final ObjectMapper mapper;
  private final LongAdder unknown = new LongAdder();
  private final LongAdder foreign = new LongAdder();
  private final LongAdder badAddresses = new LongAdder();

  private TreeSendGridEvents() {
    JsonFactory factory =
        JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    this.mapper = JsonMapper.builder(factory).build();
  }

  /** A parser. */
  static TreeSendGridEvents of() {
    return new TreeSendGridEvents();
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
        JsonNode node = mapper.readTree(p);
        EmailEvent event = event(index, node, tally);
        if (event != null) {
          events.add(event);
        }
      }
      if (p.nextToken() != null) {
        throw malformed(p, "the webhook body holds something after its JSON array");
      }
    } catch (JsonProcessingException e) {
      // not Jackson's exception as the cause: its message quotes the body (an address, say)
      throw new MalformedEventsException(
          "the webhook body is not well-formed JSON" + at(e.getLocation()));
    } catch (IOException e) {
      throw new MalformedEventsException("the webhook body could not be read");
    }
    // counted only for a batch that is taken: SendGrid sends a refused batch again
    unknown.add(tally.unknown);
    foreign.add(tally.foreign);
    badAddresses.add(tally.badAddresses);
    return Collections.unmodifiableList(events);
  }

  /** What one parse skipped or changed, added to the totals when the batch is taken. */
  private static final class Tally {
    long unknown;
    long foreign;
    long badAddresses;
  }

  private EmailEvent event(int index, JsonNode node, Tally tally) {
    String eventId = requiredText(index, node, "sg_event_id");
    String name = requiredText(index, node, "event");
    EmailEventType type = TYPES.get(name);
    if (type == null) {
      tally.unknown++;
      log.warn("event [{}] {} of unknown type '{}' skipped", index, eventId, name);
      return null;
    }
    JsonNode ts = node.get("timestamp");
    if (ts == null || ts.isNull()) {
      throw refused(index, "has no timestamp");
    }
    if (!ts.isIntegralNumber() || !ts.canConvertToLong()) {
      throw refused(index, "has a timestamp that is not a unix time in seconds");
    }
    Instant at;
    try {
      at = Instant.ofEpochSecond(ts.longValue());
    } catch (RuntimeException e) {
      throw refused(index, "has a timestamp out of range");
    }
    String email = requiredText(index, node, "email");
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String a : ATTRIBUTES) {
      JsonNode v = node.get(a);
      if (v != null && v.isValueNode() && !v.isNull()) {
        attributes.put(a, bounded(v.asText()));
      }
    }
    for (String[] arg : ARG_ATTRIBUTES) {
      JsonNode v = node.get(arg[0]);
      if (v != null && v.isValueNode() && !v.isNull()) {
        attributes.put(arg[1], bounded(v.asText()));
      }
    }
    String category = category(index, eventId, node, attributes, tally);
    EmailAddress address = addressOrNull(email);
    ContactId contact;
    try {
      contact = id(node, CONTACT_ARG, ContactId::of);
    } catch (RuntimeException e) {
      // the one change to the reference: an invalid contact is a malformed batch, as in main
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
          id(node, MESSAGE_ID_ARG, MessageId::of),
          id(node, TENANT_ARG, TenantId::of),
          id(node, ACCOUNT_ARG, AccountId::of),
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

  private static <T> T id(JsonNode node, String field, Function<String, T> of) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return of.apply(v.asText());
  }

  private String category(
      int index, String eventId, JsonNode node, Map<String, String> attributes, Tally tally) {
    JsonNode c = node.get("category");
    if (c == null || c.isNull()) {
      return null;
    }
    if (c.isArray()) {
      if (c.isEmpty()) {
        return null;
      }
      c = c.get(0);
    }
    if (!c.isTextual()) {
      throw refused(index, "has a category that is neither a string nor an array of strings");
    }
    String raw = c.textValue();
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

  private static String requiredText(int index, JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw refused(index, "has no " + field);
    }
    if (!v.isTextual() || v.textValue().isBlank()) {
      throw refused(index, "has a " + field + " that is not a non-blank string");
    }
    return v.textValue();
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
    return "TreeSendGridEvents[unknownEventTypes="
        + unknownEventTypes()
        + ", foreignCategories="
        + foreignCategories()
        + "]";
  }
}
