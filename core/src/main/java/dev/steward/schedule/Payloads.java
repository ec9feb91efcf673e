package dev.steward.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.internal.json.StrictJson;

/** Checks work payloads on the way in: a well-formed JSON object, strictly parsed, not too big. */
final class Payloads {
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
    JsonNode node =
        StrictJson.read(
            payload,
            "payload of " + key,
            (message, cause) ->
                cause == null
                    ? new InvalidWorkException(message)
                    : new InvalidWorkException(message, cause));
    if (!node.isObject()) {
      throw new InvalidWorkException("payload of " + key + " must be a JSON object");
    }
  }
}
