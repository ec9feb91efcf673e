package dev.steward.schedule;

import com.fasterxml.jackson.core.JsonToken;
import dev.steward.internal.json.StrictJson;

/** Checks work payloads on the way in: a well-formed JSON object, strictly parsed, not too big. */
final class Payloads {
  private static final String NAME = "payload";

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
    // checked, not parsed into a tree: payloads are read when their work runs, and a batch of
    // webhook events is a payload of up to 500 events on the webhook's answer path
    // every StrictJson message starts with the name it is given: the key goes into it only when
    // there is one, not into a name made for every payload checked
    JsonToken first =
        StrictJson.check(
            payload,
            NAME,
            (message, cause) -> {
              String named =
                  message.startsWith(NAME)
                      ? "payload of " + key + message.substring(NAME.length())
                      : "payload of " + key + ": " + message;
              return cause == null
                  ? new InvalidWorkException(named)
                  : new InvalidWorkException(named, cause);
            });
    if (first != JsonToken.START_OBJECT) {
      throw new InvalidWorkException("payload of " + key + " must be a JSON object");
    }
  }
}
