package dev.steward.jdbc;

import java.time.Instant;

/** Validation of store input, so bad values fail with a clear message before any write. */
final class Check {
  /** The longest id the schema holds (VARCHAR(200)); matches the model's id limit. */
  static final int MAX_ID = 200;

  private Check() {}

  static <T> T notNull(T value, String field) {
    if (value == null) {
      throw new InvalidStoreInputException(field + " must not be null");
    }
    return value;
  }

  /** A non-null, non-empty string of at most {@code max} characters. */
  static String text(String value, String field, int max) {
    notNull(value, field);
    if (value.isEmpty()) {
      throw new InvalidStoreInputException(field + " must not be empty");
    }
    return optionalText(value, field, max);
  }

  /** Null, or a string of at most {@code max} characters. */
  static String optionalText(String value, String field, int max) {
    if (value != null && value.length() > max) {
      throw new InvalidStoreInputException(
          field
              + " is "
              + value.length()
              + " characters long; at most "
              + max
              + " fit: '"
              + value.substring(0, Math.min(40, value.length()))
              + "...'");
    }
    return value;
  }

  static String id(String value, String field) {
    return text(value, field, MAX_ID);
  }

  static Instant instant(Instant value, String field) {
    return notNull(value, field);
  }
}
