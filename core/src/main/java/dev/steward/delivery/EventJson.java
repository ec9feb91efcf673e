package dev.steward.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.StrictJson;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An {@link EmailEvent} as a JSON object, for the payloads of event work items: written from the
 * record's accessors (so the stored form does not follow Java names by accident) and read back
 * equal. Reading is strict: repeated or unknown keys, wrong types and invalid values are refused
 * with a message that names the key.
 */
final class EventJson {
  // Every character beyond ASCII is escaped, so the stored text is plain ASCII and comes back
  // exactly whatever the database's encoding is.
  static final ObjectWriter WRITER =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build().writer();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonFactory GENERATORS =
      JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private static final Set<String> KEYS =
      Set.of(
          "id",
          "type",
          "occurredAt",
          "email",
          "messageId",
          "tenant",
          "account",
          "contact",
          "category",
          "attributes");

  private EventJson() {}

  /** The event as a JSON object node. */
  static ObjectNode node(EmailEvent e) {
    ObjectNode n = NODES.objectNode();
    n.put("id", e.eventId());
    n.put("type", e.type().name());
    n.put("occurredAt", e.occurredAt().toString());
    putIfPresent(n, "email", e.email().map(EmailAddress::value).orElse(null));
    putIfPresent(n, "messageId", e.messageId().map(MessageId::value).orElse(null));
    putIfPresent(n, "tenant", e.tenant().map(TenantId::value).orElse(null));
    putIfPresent(n, "account", e.account().map(AccountId::value).orElse(null));
    putIfPresent(n, "contact", e.contact().map(ContactId::value).orElse(null));
    putIfPresent(n, "category", e.category().orElse(null));
    if (!e.attributes().isEmpty()) {
      ObjectNode attrs = n.putObject("attributes");
      for (Map.Entry<String, String> a : e.attributes().entrySet()) {
        if (a.getKey() == null) {
          throw new InvalidEventBatchException(
              "event '" + e.eventId() + "' has an attribute with a null name");
        }
        attrs.put(a.getKey(), a.getValue());
      }
    }
    return n;
  }

  /**
   * The event as JSON text: the text of {@link #node} (the same keys in the same order), written
   * straight to a generator, since every accepted event is written once on the webhook's path and a
   * tree per event cost more than the parse that produced it.
   */
  static String write(EmailEvent e) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = GENERATORS.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", e.eventId());
      g.writeStringField("type", e.type().name());
      g.writeStringField("occurredAt", e.occurredAt().toString());
      writeIfPresent(g, "email", e.email().map(EmailAddress::value).orElse(null));
      writeIfPresent(g, "messageId", e.messageId().map(MessageId::value).orElse(null));
      writeIfPresent(g, "tenant", e.tenant().map(TenantId::value).orElse(null));
      writeIfPresent(g, "account", e.account().map(AccountId::value).orElse(null));
      writeIfPresent(g, "contact", e.contact().map(ContactId::value).orElse(null));
      writeIfPresent(g, "category", e.category().orElse(null));
      if (!e.attributes().isEmpty()) {
        g.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> a : e.attributes().entrySet()) {
          if (a.getKey() == null) {
            throw new InvalidEventBatchException(
                "event '" + e.eventId() + "' has an attribute with a null name");
          }
          g.writeStringField(a.getKey(), a.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException ex) {
      // a StringWriter does not fail
      throw new IllegalStateException("cannot write event JSON", ex);
    }
    return out.toString();
  }

  private static void writeIfPresent(JsonGenerator g, String key, String value) throws IOException {
    if (value != null) {
      g.writeStringField(key, value);
    }
  }

  /** A node as compact ASCII JSON text. */
  static String text(JsonNode n) {
    try {
      return WRITER.writeValueAsString(n);
    } catch (JsonProcessingException ex) {
      // a tree of strings and objects always serialises
      throw new IllegalStateException("cannot write event JSON", ex);
    }
  }

  /** Reads an event written by {@link #write}. */
  static EmailEvent read(String json) {
    return of(
        StrictJson.read(
            json,
            "event",
            (message, cause) ->
                cause == null
                    ? new InvalidEventBatchException(message)
                    : new InvalidEventBatchException(message, cause)),
        "event");
  }

  /** The event of a node written by {@link #node}; {@code path} names it in messages. */
  static EmailEvent of(JsonNode n, String path) {
    if (n == null || !n.isObject()) {
      throw new InvalidEventBatchException(path + " must be a JSON object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new InvalidEventBatchException(path + " has the unknown key '" + key + "'");
      }
    }
    String id = required(n, "id", path);
    String at = required(n, "occurredAt", path);
    Instant occurredAt;
    try {
      occurredAt = Instant.parse(at);
    } catch (DateTimeParseException ex) {
      throw new InvalidEventBatchException(
          path + ".occurredAt '" + at + "' is not an ISO-8601 instant", ex);
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    JsonNode attrs = n.get("attributes");
    if (attrs != null) {
      if (!attrs.isObject()) {
        throw new InvalidEventBatchException(path + ".attributes must be a JSON object");
      }
      for (Map.Entry<String, JsonNode> a : attrs.properties()) {
        JsonNode v = a.getValue();
        if (!v.isNull() && !v.isTextual()) {
          throw new InvalidEventBatchException(
              path + ".attributes." + a.getKey() + " must be a string or null");
        }
        attributes.put(a.getKey(), v.isNull() ? null : v.textValue());
      }
    }
    try {
      String email = optional(n, "email", path);
      String messageId = optional(n, "messageId", path);
      String tenant = optional(n, "tenant", path);
      String account = optional(n, "account", path);
      String contact = optional(n, "contact", path);
      return EmailEvent.of(
          id,
          EmailEventType.parse(required(n, "type", path)),
          occurredAt,
          email == null ? null : EmailAddress.of(email),
          messageId == null ? null : MessageId.of(messageId),
          tenant == null ? null : TenantId.of(tenant),
          account == null ? null : AccountId.of(account),
          contact == null ? null : ContactId.of(contact),
          optional(n, "category", path),
          attributes);
    } catch (RuntimeException ex) {
      if (ex instanceof InvalidEventBatchException) {
        throw ex;
      }
      throw new InvalidEventBatchException(path + " is not a valid event: " + ex.getMessage(), ex);
    }
  }

  private static void putIfPresent(ObjectNode n, String key, String value) {
    if (value != null) {
      n.put(key, value);
    }
  }

  private static String required(JsonNode n, String key, String path) {
    String v = optional(n, key, path);
    if (v == null) {
      throw new InvalidEventBatchException(path + " has no '" + key + "'");
    }
    return v;
  }

  private static String optional(JsonNode n, String key, String path) {
    JsonNode v = n.get(key);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidEventBatchException(path + "." + key + " must be a string");
    }
    return v.textValue();
  }
}
