package dev.steward.schedule;

import dev.steward.model.StoreLimits;

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
   * surrogate pair), or -1.
   */
  static int firstUnstorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return i;
      }
    }
    return StoreLimits.unpairedSurrogateAt(text);
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

  /** Checks that every store can keep {@code at} (1677 to 2262); returns it. */
  static java.time.Instant storable(java.time.Instant at, String name) {
    String problem = StoreLimits.instantProblem(at);
    if (problem != null) {
      throw new InvalidWorkException(name + " " + problem);
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

  /** Refuses a list of items that names one key twice. */
  static void distinctKeys(java.util.Collection<WorkItem> items) {
    java.util.Set<WorkKey> seen = new java.util.HashSet<>();
    for (WorkItem i : items) {
      if (!seen.add(i.key())) {
        throw new InvalidWorkException("expected items name " + i.key() + " twice");
      }
    }
  }

  /**
   * Whether a stored item is still as {@code read} was: READY, same due time, payload, payload
   * version, priority and subject (attempts and errors aside).
   */
  static boolean sameStored(WorkItem stored, WorkItem read) {
    return stored.state() == WorkState.READY
        && stored.dueAt().equals(read.dueAt())
        && stored.payload().equals(read.payload())
        && stored.payloadVersion() == read.payloadVersion()
        && stored.priority() == read.priority()
        && stored.subject().equals(read.subject());
  }
}
