package dev.steward.delivery;

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
import java.time.Instant;
import java.time.LocalDate;
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
   * The event as JSON text: the text of {@link #node} (the same keys in the same order, the same
   * escapes), written by hand into a builder, since every accepted event is written once on the
   * webhook's path and a tree per event, then a generator per event, cost more than the parse that
   * produced it. {@code EventJsonTest} holds it equal to the tree's text over generated events.
   */
  static String write(EmailEvent e) {
    return write(e, new StringBuilder(256));
  }

  /** As {@link #write(EmailEvent)}, reusing {@code out} (cleared first) for a batch's events. */
  static String write(EmailEvent e, StringBuilder out) {
    out.setLength(0);
    out.append("{\"id\":");
    string(out, e.eventId());
    out.append(",\"type\":\"").append(e.type().name()).append("\",\"occurredAt\":\"");
    instant(out, e.occurredAt());
    out.append('"');
    if (e.email().isPresent()) {
      field(out, "email", e.email().get().value());
    }
    if (e.messageId().isPresent()) {
      field(out, "messageId", e.messageId().get().value());
    }
    if (e.tenant().isPresent()) {
      field(out, "tenant", e.tenant().get().value());
    }
    if (e.account().isPresent()) {
      field(out, "account", e.account().get().value());
    }
    if (e.contact().isPresent()) {
      field(out, "contact", e.contact().get().value());
    }
    if (e.category().isPresent()) {
      field(out, "category", e.category().get());
    }
    if (!e.attributes().isEmpty()) {
      out.append(",\"attributes\":{");
      boolean first = true;
      for (Map.Entry<String, String> a : e.attributes().entrySet()) {
        if (a.getKey() == null) {
          throw new InvalidEventBatchException(
              "event '" + e.eventId() + "' has an attribute with a null name");
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, a.getKey());
        out.append(':');
        if (a.getValue() == null) {
          out.append("null");
        } else {
          string(out, a.getValue());
        }
      }
      out.append('}');
    }
    return out.append('}').toString();
  }

  private static void field(StringBuilder out, String key, String value) {
    out.append(",\"").append(key).append("\":");
    string(out, value);
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * A JSON string as Jackson writes it with {@code ESCAPE_NON_ASCII}: quote and backslash escaped,
   * backspace, form feed, newline, carriage return and tab by their short escapes, other controls
   * and every character above 127 as a backslash, {@code u} and four upper-case hex digits (each
   * half of a surrogate pair on its own); the rest as is.
   */
  static void string(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    int from = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        continue;
      }
      out.append(s, from, i);
      from = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default ->
            out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
      }
    }
    out.append(s, from, n).append('"');
  }

  /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years {@link #instant} writes itself. */
  private static final long FIRST_FAST = -62_135_596_800L;

  private static final long LAST_FAST = 253_402_300_799L;

  /**
   * {@code Instant.toString()} (ISO-8601 in UTC, the fraction in groups of three digits, none when
   * zero) without its formatter, for years 1 to 9999; other years through {@code toString()}.
   */
  static void instant(StringBuilder out, Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds < FIRST_FAST || seconds > LAST_FAST) {
      out.append(t);
      return;
    }
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    int second = (int) Math.floorMod(seconds, 86_400L);
    digits(out, day.getYear(), 4);
    out.append('-');
    digits(out, day.getMonthValue(), 2);
    out.append('-');
    digits(out, day.getDayOfMonth(), 2);
    out.append('T');
    digits(out, second / 3600, 2);
    out.append(':');
    digits(out, second / 60 % 60, 2);
    out.append(':');
    digits(out, second % 60, 2);
    int nano = t.getNano();
    if (nano != 0) {
      out.append('.');
      if (nano % 1_000_000 == 0) {
        digits(out, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        digits(out, nano / 1_000, 6);
      } else {
        digits(out, nano, 9);
      }
    }
    out.append('Z');
  }

  /** {@code value} (not negative) in exactly {@code width} digits, zeros first. */
  private static void digits(StringBuilder out, int value, int width) {
    for (int d = width - 1, p = pow10(d); d >= 0; d--, p /= 10) {
      out.append((char) ('0' + value / p % 10));
    }
  }

  private static int pow10(int exponent) {
    int p = 1;
    for (int i = 0; i < exponent; i++) {
      p *= 10;
    }
    return p;
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
