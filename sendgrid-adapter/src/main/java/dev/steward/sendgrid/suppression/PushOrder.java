package dev.steward.sendgrid.suppression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.model.EmailAddress;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One opt-out to push: the address, to the global unsubscribes or to one group's, for a subuser.
 *
 * @param subuser the tenant's subuser; empty for the parent account
 * @param address the address
 * @param group the unsubscribe group, or empty for the global unsubscribes
 */
record PushOrder(Optional<String> subuser, EmailAddress address, OptionalInt group) {
  static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  String encode() {
    ObjectNode o = MAPPER.createObjectNode();
    subuser.ifPresent(s -> o.put("subuser", s));
    o.put("email", address.value());
    group.ifPresent(g -> o.put("group", g));
    return o.toString();
  }

  static PushOrder decode(String json, int version) {
    if (version != VERSION) {
      throw new IllegalArgumentException(
          "suppression push payload version " + version + " unknown");
    }
    try {
      JsonNode o = MAPPER.readTree(json);
      JsonNode sub = o.path("subuser");
      JsonNode group = o.path("group");
      return new PushOrder(
          sub.isTextual() ? Optional.of(sub.asText()) : Optional.empty(),
          EmailAddress.of(o.path("email").asText()),
          group.canConvertToInt() ? OptionalInt.of(group.asInt()) : OptionalInt.empty());
    } catch (IOException e) {
      throw new IllegalArgumentException("suppression push payload is not JSON", e);
    }
  }
}
