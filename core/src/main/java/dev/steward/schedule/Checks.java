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

  /**
   * The position of the first character no store keeps exactly (a control character, or half of a
   * surrogate pair: PostgreSQL would store it as '?'), or -1.
   */
  static int firstUnstorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        return i;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** {@code text} with what no store keeps (NUL, lone surrogates) replaced by U+FFFD. */
  static String storable(String text) {
    if (firstUnstorable(text) < 0) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        sb.append(c).append(text.charAt(++i));
      } else if (c == 0 || Character.isSurrogate(c)) {
        sb.append('\uFFFD');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Every store keeps instants from 1677-09-21 to 2262-04-11 (nanoseconds in a long). */
  static final java.time.Instant EARLIEST = java.time.Instant.ofEpochSecond(0, Long.MIN_VALUE);

  static final java.time.Instant LATEST = java.time.Instant.ofEpochSecond(0, Long.MAX_VALUE);

  /** Checks that every store can keep {@code at}; returns it. */
  static java.time.Instant storable(java.time.Instant at, String name) {
    notNull(at, name);
    if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
      throw new InvalidWorkException(
          name + " " + at + " is outside the storable range " + EARLIEST + " to " + LATEST);
    }
    return at;
  }

  /**
   * The longest lease: a claim is renewed while its work runs, so a long lease only hides a crash.
   */
  static final java.time.Duration MAX_LEASE = java.time.Duration.ofDays(1);

  static java.time.Duration lease(java.time.Duration lease) {
    if (lease == null || lease.isNegative() || lease.isZero()) {
      throw new InvalidWorkException("lease must be positive, was " + lease);
    }
    if (lease.compareTo(MAX_LEASE) > 0) {
      throw new InvalidWorkException(
          "lease must be at most " + MAX_LEASE + " (it is renewed while work runs), was " + lease);
    }
    return lease;
  }

  static int atLeastOne(int value, String name) {
    if (value < 1) {
      throw new InvalidWorkException(name + " must be at least 1, was " + value);
    }
    return value;
  }
}
