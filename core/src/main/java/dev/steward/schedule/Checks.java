package dev.steward.schedule;

/** Argument checks that fail with {@link InvalidWorkException}, the same in every store. */
final class Checks {
  private Checks() {}

  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new InvalidWorkException(name + " must not be null");
    }
    return value;
  }

  static int atLeastOne(int value, String name) {
    if (value < 1) {
      throw new InvalidWorkException(name + " must be at least 1, was " + value);
    }
    return value;
  }
}
