package dev.steward.model;

import java.time.Instant;

/**
 * What every store can hold, in memory or in a database alike: callers check these before a store
 * is called, so all stores accept and refuse the same inputs.
 *
 * <p>The limits are the database schema's (ids and names in {@code VARCHAR(200)} columns, instants
 * as BIGINT nanoseconds since the epoch), applied to the in-memory stores too: a value that only
 * memory could hold would work in tests and fail in production. Each check answers why a value does
 * not fit, or null when it does, so a caller throws its own exception naming its argument and the
 * happy path allocates nothing.
 */
public final class StoreLimits {
  /** The longest id (entry id, message id): the {@code VARCHAR(200)} of the model's ids. */
  public static final int MAX_ID_LENGTH = 200;

  /** The longest name (team, category, campaign, activity, journey id). */
  public static final int MAX_NAME_LENGTH = 200;

  /** The earliest storable instant, 1677-09-21T00:12:43.145224192Z (see the JDBC stores). */
  public static final Instant MIN_INSTANT = Instant.ofEpochSecond(0, Long.MIN_VALUE);

  /** The latest storable instant, 2262-04-11T23:47:16.854775807Z. */
  public static final Instant MAX_INSTANT = Instant.ofEpochSecond(0, Long.MAX_VALUE);

  private StoreLimits() {}

  /**
   * Why {@code value} cannot be an id or name of at most {@code max} characters (null, blank, too
   * long, holding a control character or half a surrogate pair), or null when it can.
   */
  public static String textProblem(String value, int max) {
    if (value == null) {
      return "must not be null";
    }
    int n = value.length();
    if (n > max) {
      return "is "
          + n
          + " characters long; at most "
          + max
          + " fit: '"
          + value.substring(0, 40)
          + "...'";
    }
    boolean blank = true;
    boolean surrogates = false;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        return "contains a control character (U+"
            + String.format("%04X", (int) c)
            + ") at index "
            + i;
      }
      blank &= Character.isWhitespace(c);
      surrogates |= Character.isSurrogate(c);
    }
    if (blank) {
      return "must not be blank";
    }
    int half = surrogates ? unpairedSurrogateAt(value) : -1; // the pass above saw any there are
    return half < 0
        ? null
        : "has half a surrogate pair at index " + half + "; no store keeps it exactly";
  }

  /**
   * The index of the first half of a surrogate pair standing alone in {@code text}, or -1. Such a
   * string has no UTF-8 form: PostgreSQL keeps it as '?' (so two ids would become one key), and a
   * stored document with it cannot be read back.
   */
  public static int unpairedSurrogateAt(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Why {@code value} cannot be stored (null, or outside {@link #MIN_INSTANT} to {@link
   * #MAX_INSTANT}), or null.
   */
  public static String instantProblem(Instant value) {
    if (value == null) {
      return "must not be null";
    }
    if (value.compareTo(MIN_INSTANT) < 0 || value.compareTo(MAX_INSTANT) > 0) {
      return value + " is outside the storable range " + MIN_INSTANT + " to " + MAX_INSTANT;
    }
    return null;
  }
}
