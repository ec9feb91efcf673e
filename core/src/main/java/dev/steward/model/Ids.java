package dev.steward.model;

/** Shared validation of identifier values. */
final class Ids {
  static final int MAX_LENGTH = 200;

  private Ids() {}

  static String check(String type, String value) {
    if (value == null) {
      throw new InvalidModelException(type + " must not be null");
    }
    if (value.isBlank()) {
      throw new InvalidModelException(type + " must not be blank");
    }
    if (value.length() > MAX_LENGTH) {
      throw new InvalidModelException(
          type + " is " + value.length() + " characters long; at most " + MAX_LENGTH + " allowed");
    }
    // one pass: the first control character, and whether any surrogate is there to be paired
    int n = value.length();
    boolean surrogates = false;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new InvalidModelException(
            type + " '" + value + "' contains a control character at " + i);
      }
      surrogates |= Character.isSurrogate(c);
    }
    int half = surrogates ? StoreLimits.unpairedSurrogateAt(value) : -1;
    if (half >= 0) {
      throw new InvalidModelException(
          type + " has half a surrogate pair at " + half + "; no store keeps it exactly");
    }
    return value;
  }
}
