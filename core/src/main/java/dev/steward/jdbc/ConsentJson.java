package dev.steward.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.consent.ConsentRecord;
import dev.steward.consent.ContactConsent;
import dev.steward.consent.Frequency;
import dev.steward.consent.Subscription;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ContactConsent} as a JSON document; instants as ISO-8601 text, so they round-trip. The
 * tenant is not in the document: it is the row's key column, and rows written before schema version
 * 6 (which had no tenants) belong to the tenant {@code default}.
 *
 * <p>An erased contact's tombstone is the optional field {@code erasedAt}, written only when set:
 * documents written before tombstones existed read as never erased, so the format and the schema
 * are unchanged.
 */
final class ConsentJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int FORMAT = 1;

  private ConsentJson() {}

  static String write(ContactConsent consent) {
    ObjectNode n = NODES.objectNode();
    n.put("format", FORMAT);
    n.put("contact", consent.contact().value());
    if (consent.optedOutAt().isPresent()) {
      n.put("optedOutAt", consent.optedOutAt().get().toString());
    }
    ObjectNode subs = n.putObject("subscriptions");
    for (Subscription s : consent.subscriptions().values()) {
      ObjectNode o = subs.putObject(s.category());
      o.put("subscribed", s.subscribed());
      o.put("frequency", s.frequency().name());
      o.put("updatedAt", s.updatedAt().toString());
    }
    consent.erasedAt().ifPresent(at -> n.put("erasedAt", at.toString()));
    ArrayNode records = n.putArray("records");
    for (ConsentRecord r : consent.records()) {
      ObjectNode o = records.addObject();
      if (r.category().isPresent()) {
        o.put("category", r.category().get());
      }
      o.put("action", r.action().name());
      o.put("source", r.source());
      o.put("at", r.at().toString());
    }
    return MessageJson.toString(n);
  }

  static ContactConsent read(TenantId tenant, String json) {
    JsonNode n = MessageJson.parse(json, "consent");
    int format = n.path("format").asInt(-1);
    if (format != FORMAT) {
      throw new JdbcStoreException("stored consent has unknown format " + format);
    }
    String optedOut = MessageJson.text(n, "optedOutAt");
    String erasedAt = MessageJson.text(n, "erasedAt");
    Map<String, Subscription> subs = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.path("subscriptions").properties()) {
      JsonNode o = e.getValue();
      subs.put(
          e.getKey(),
          new Subscription(
              e.getKey(),
              o.get("subscribed").asBoolean(),
              Frequency.valueOf(o.get("frequency").asText()),
              Instant.parse(o.get("updatedAt").asText())));
    }
    List<ConsentRecord> records = new ArrayList<>();
    for (JsonNode o : n.path("records")) {
      records.add(
          ConsentRecord.of(
              MessageJson.text(o, "category"),
              ConsentRecord.Action.valueOf(o.get("action").asText()),
              o.get("source").asText(),
              Instant.parse(o.get("at").asText())));
    }
    return new ContactConsent(
        tenant,
        ContactId.of(n.get("contact").asText()),
        Optional.ofNullable(optedOut).map(Instant::parse),
        subs,
        records,
        Optional.ofNullable(erasedAt).map(Instant::parse));
  }
}
