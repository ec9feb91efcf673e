package dev.steward.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.consent.AddressSuppressions;
import dev.steward.consent.Delisting;
import dev.steward.consent.Suppression;
import dev.steward.consent.SuppressionReason;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An {@link AddressSuppressions} as a JSON document; instants as ISO-8601 text, so they round-trip.
 * The tenant and address are the row's key columns, not part of the document.
 */
final class SuppressionJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int FORMAT = 1;

  private SuppressionJson() {}

  static String write(AddressSuppressions entry) {
    ObjectNode n = NODES.objectNode();
    n.put("format", FORMAT);
    ArrayNode active = n.putArray("active");
    for (Suppression s : entry.active()) {
      ObjectNode o = active.addObject();
      o.put("reason", s.reason().name());
      s.category().ifPresent(c -> o.put("category", c));
      o.put("since", s.since().toString());
      o.put("source", s.source());
    }
    ArrayNode delistings = n.putArray("delistings");
    for (Delisting d : entry.delistings()) {
      ObjectNode o = delistings.addObject();
      o.put("reason", d.reason().name());
      d.category().ifPresent(c -> o.put("category", c));
      o.put("at", d.at().toString());
      o.put("source", d.source());
      o.put("note", d.note());
    }
    return MessageJson.toString(n);
  }

  static AddressSuppressions read(TenantId tenant, EmailAddress address, String json) {
    JsonNode n = MessageJson.parse(json, "suppressions");
    int format = n.path("format").asInt(-1);
    if (format != FORMAT) {
      throw new JdbcStoreException("stored suppressions have unknown format " + format);
    }
    List<Suppression> active = new ArrayList<>();
    for (JsonNode o : n.path("active")) {
      active.add(
          new Suppression(
              tenant,
              address,
              SuppressionReason.valueOf(o.get("reason").asText()),
              Optional.ofNullable(MessageJson.text(o, "category")),
              Instant.parse(o.get("since").asText()),
              o.get("source").asText()));
    }
    List<Delisting> delistings = new ArrayList<>();
    for (JsonNode o : n.path("delistings")) {
      delistings.add(
          new Delisting(
              tenant,
              address,
              SuppressionReason.valueOf(o.get("reason").asText()),
              Optional.ofNullable(MessageJson.text(o, "category")),
              Instant.parse(o.get("at").asText()),
              o.get("source").asText(),
              o.get("note").asText()));
    }
    return new AddressSuppressions(tenant, address, active, delistings);
  }
}
