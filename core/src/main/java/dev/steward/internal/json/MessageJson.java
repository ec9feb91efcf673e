package dev.steward.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Message} as a JSON document, built over the message's accessors so that the stored form
 * does not follow Java field names by accident, and read back exactly.
 *
 * <p>Personalisation values are tagged with their Java type ({@code {"long":"5"}}), because plain
 * JSON numbers lose it (a Long 5 would come back as an Integer 5 and no longer equal the original).
 * Numbers are written as strings, so NaN, infinities and BigDecimal scales survive as well.
 *
 * <p>Internal: shared by the JDBC stores and the work payloads of deferred messages; not an API.
 */
public final class MessageJson {
  // Every character beyond ASCII is written as an escape (backslash, u, four hex digits), so that
  // the stored text is plain ASCII and comes back exactly whatever the database encoding is.
  private static final ObjectWriter WRITER =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build().writer();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // 2 added sendBy (absent when the message has none); format 1 documents are still read
  private static final int FORMAT = 2;
  private static final int FORMAT_1 = 1;

  private MessageJson() {}

  /**
   * The document of a message. Every personalisation value {@link Message} accepts has a tag here
   * and comes back equal and of the same type; keep the two lists in step.
   */
  public static String write(Message m) {
    ObjectNode n = NODES.objectNode();
    n.put("format", FORMAT);
    n.put("id", m.id().value());
    n.put("idempotencyKey", m.idempotencyKey());
    n.put("tenant", m.tenant().value());
    n.put("account", m.account().value());
    n.put("contact", m.contact().value());
    if (m.to() != null) {
      n.put("to", m.to().value());
    }
    // absent when the message has none (its tenant's policy then gives the zone)
    m.recipientZone().ifPresent(z -> n.put("recipientZone", z.getId()));
    n.put("kind", m.kind().name());
    n.put("category", m.category());
    n.put("channel", m.channel().name());
    n.put("priority", m.priority().name());
    n.put("sourceTeam", m.source().team());
    if (m.source().journeyStep() != null) {
      n.put("sourceJourneyStep", m.source().journeyStep());
    }
    if (m.templateId() != null) {
      n.put("templateId", m.templateId());
    }
    ObjectNode data = n.putObject("personalisation");
    for (Map.Entry<String, Object> e : m.personalisation().entrySet()) {
      data.set(e.getKey(), tag(e.getValue(), "personalisation." + e.getKey()));
    }
    n.put("createdAt", m.createdAt().toString());
    m.sendBy().ifPresent(by -> n.put("sendBy", by.toString()));
    return toString(n);
  }

  /** Reads a document written by {@link #write}, of this format or format 1 (no sendBy). */
  public static Message read(String json) {
    JsonNode n = parse(json, "message");
    int format = n.path("format").asInt(-1);
    if (format != FORMAT && format != FORMAT_1) {
      throw new MalformedJsonException("stored message has unknown format " + format);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.path("personalisation").properties()) {
      data.put(e.getKey(), untag(e.getValue()));
    }
    String step = text(n, "sourceJourneyStep");
    String to = text(n, "to");
    String zone = text(n, "recipientZone");
    String sendBy = text(n, "sendBy");
    return Message.builder()
        .id(MessageId.of(n.get("id").asText()))
        .idempotencyKey(n.get("idempotencyKey").asText())
        .tenant(TenantId.of(n.get("tenant").asText()))
        .account(AccountId.of(n.get("account").asText()))
        .contact(ContactId.of(n.get("contact").asText()))
        .to(to == null ? null : EmailAddress.of(to))
        .recipientZone(zone == null ? null : ZoneId.of(zone))
        .kind(MessageKind.valueOf(n.get("kind").asText()))
        .category(n.get("category").asText())
        .channel(Channel.valueOf(n.get("channel").asText()))
        .priority(Priority.valueOf(n.get("priority").asText()))
        .source(new Source(n.get("sourceTeam").asText(), step))
        .templateId(text(n, "templateId"))
        .personalisation(data)
        .createdAt(Instant.parse(n.get("createdAt").asText()))
        .sendBy(sendBy == null ? null : Instant.parse(sendBy))
        .build();
  }

  /** Reads a stored document; one that is not plain, strict JSON is reported, not half-read. */
  public static JsonNode parse(String json, String what) {
    return StrictJson.read(json, "stored " + what, MalformedJsonException::new);
  }

  public static String toString(JsonNode n) {
    try {
      return WRITER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static JsonNode tag(Object v, String path) {
    ObjectNode t = NODES.objectNode();
    if (v == null) {
      t.putNull("null");
    } else if (v instanceof String s) {
      t.put("string", s);
    } else if (v instanceof Boolean b) {
      t.put("boolean", b);
    } else if (v instanceof Integer i) {
      t.put("int", i.toString());
    } else if (v instanceof Long l) {
      t.put("long", l.toString());
    } else if (v instanceof Short s) {
      t.put("short", s.toString());
    } else if (v instanceof Byte b) {
      t.put("byte", b.toString());
    } else if (v instanceof Double d) {
      t.put("double", d.toString());
    } else if (v instanceof Float f) {
      t.put("float", f.toString());
    } else if (v instanceof BigInteger b) {
      t.put("bigInteger", b.toString());
    } else if (v instanceof BigDecimal b) {
      t.put("bigDecimal", b.toString());
    } else if (v instanceof List<?> list) {
      ArrayNode a = t.putArray("list");
      for (int i = 0; i < list.size(); i++) {
        a.add(tag(list.get(i), path + "[" + i + "]"));
      }
    } else if (v instanceof Map<?, ?> map) {
      ObjectNode o = t.putObject("map");
      for (Map.Entry<?, ?> e : map.entrySet()) {
        o.set((String) e.getKey(), tag(e.getValue(), path + "." + e.getKey()));
      }
    } else {
      // Message refuses every other value when it is built; reaching here is a bug in one of them
      throw new IllegalStateException(
          path + " holds a " + v.getClass().getName() + ", which Message should have refused");
    }
    return t;
  }

  private static Object untag(JsonNode t) {
    Iterator<Map.Entry<String, JsonNode>> only = t.properties().iterator();
    if (!only.hasNext()) {
      throw new MalformedJsonException("stored personalisation has a value without a type tag");
    }
    Map.Entry<String, JsonNode> e = only.next();
    JsonNode v = e.getValue();
    switch (e.getKey()) {
      case "null":
        return null;
      case "string":
        return v.asText();
      case "boolean":
        return v.asBoolean();
      case "int":
        return Integer.valueOf(v.asText());
      case "long":
        return Long.valueOf(v.asText());
      case "short":
        return Short.valueOf(v.asText());
      case "byte":
        return Byte.valueOf(v.asText());
      case "double":
        return Double.valueOf(v.asText());
      case "float":
        return Float.valueOf(v.asText());
      case "bigInteger":
        return new BigInteger(v.asText());
      case "bigDecimal":
        return new BigDecimal(v.asText());
      case "list":
        List<Object> list = new ArrayList<>(v.size());
        v.forEach(item -> list.add(untag(item)));
        return list;
      case "map":
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : v.properties()) {
          map.put(f.getKey(), untag(f.getValue()));
        }
        return map;
      default:
        throw new MalformedJsonException(
            "stored personalisation has an unknown type tag " + e.getKey());
    }
  }
}
