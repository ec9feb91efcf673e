package dev.steward.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Checks work payloads on the way in: a well-formed JSON object, strictly parsed, not too big. */
final class Payloads {
  static final JsonMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Payloads() {}

  static void check(WorkKey key, String payload) {
    if (payload == null) {
      throw new InvalidWorkException("payload of " + key + " must not be null");
    }
    if (payload.length() > WorkItem.MAX_PAYLOAD) {
      throw new InvalidWorkException(
          "payload of "
              + key
              + " is "
              + payload.length()
              + " characters; at most "
              + WorkItem.MAX_PAYLOAD);
    }
    JsonNode node;
    try {
      node = STRICT.readTree(payload);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new InvalidWorkException(
          "payload of " + key + " is not valid JSON" + where + ": " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidWorkException("payload of " + key + " must be a JSON object");
    }
  }
}
