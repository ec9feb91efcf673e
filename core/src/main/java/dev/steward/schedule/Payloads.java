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
    if (plainObject(payload)) {
      return; // the strict parse below accepts it as an object (see plainObject)
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

  /** The longest name {@link #plainObject} reads; longer ones go through the strict parse. */
  private static final int PLAIN_NAME_MAX = 64;

  /** The most digits {@link #plainObject} reads (within Jackson's limits on numbers). */
  private static final int PLAIN_DIGITS_MAX = 18;

  /**
   * Whether {@code payload} is exactly {@code {"<name>":<digits>}}: a name of ASCII letters, digits
   * and underscores, and a number with no sign, space, fraction or leading zero, nothing before or
   * after. The strict parse accepts every such text as an object (one name cannot repeat), so it is
   * not run for them (mem5): a journey step's payload ({@code {"seq":12}}) is of this shape and is
   * written on every reschedule of its item, where the parser's set-up cost more than the rest of
   * the check. Anything else, valid or not, answers false and is parsed.
   */
  static boolean plainObject(String payload) {
    int n = payload.length();
    if (n < 7 || payload.charAt(0) != '{' || payload.charAt(1) != '"') {
      return false;
    }
    int i = 2;
    while (i < n && i - 2 <= PLAIN_NAME_MAX && nameChar(payload.charAt(i))) {
      i++;
    }
    if (i == 2 || i - 2 > PLAIN_NAME_MAX || i + 3 > n) {
      return false;
    }
    if (payload.charAt(i) != '"' || payload.charAt(i + 1) != ':') {
      return false;
    }
    int from = i + 2;
    int to = n - 1; // the closing brace
    if (payload.charAt(to) != '}' || to == from || to - from > PLAIN_DIGITS_MAX) {
      return false;
    }
    if (payload.charAt(from) == '0' && to - from > 1) {
      return false; // a leading zero: the strict parse refuses it
    }
    for (int j = from; j < to; j++) {
      char c = payload.charAt(j);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean nameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
}
