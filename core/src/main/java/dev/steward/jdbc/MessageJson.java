package dev.steward.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.internal.json.MalformedJsonException;
import dev.steward.model.Message;

/**
 * The stores' view of {@link dev.steward.internal.json.MessageJson}: the same documents, with a
 * document that cannot be read reported as a {@link JdbcStoreException}, as every store failure is.
 */
final class MessageJson {
  private MessageJson() {}

  static String write(Message m) {
    try {
      return dev.steward.internal.json.MessageJson.write(m);
    } catch (MalformedJsonException e) {
      throw new JdbcStoreException(e.getMessage(), e);
    }
  }

  static Message read(String json) {
    try {
      return dev.steward.internal.json.MessageJson.read(json);
    } catch (MalformedJsonException e) {
      throw new JdbcStoreException(e.getMessage(), e);
    }
  }

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
