package dev.steward.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.internal.json.MalformedJsonException;

/**
 * The stores' view of {@link dev.steward.internal.json.MessageJson}'s JSON helpers, with a document
 * that cannot be read reported as a {@link JdbcStoreException}, as every store failure is.
 */
final class MessageJson {
  private MessageJson() {}

  static JsonNode parse(String json, String what) {
    try {
      return dev.steward.internal.json.MessageJson.parse(json, what);
    } catch (MalformedJsonException e) {
      throw new JdbcStoreException(e.getMessage(), e);
    }
  }

  static String toString(JsonNode n) {
    try {
      return dev.steward.internal.json.MessageJson.toString(n);
    } catch (MalformedJsonException e) {
      throw new JdbcStoreException(e.getMessage(), e);
    }
  }

  static String text(JsonNode n, String field) {
    return dev.steward.internal.json.MessageJson.text(n, field);
  }
}
