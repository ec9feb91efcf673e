package dev.steward.internal;

import java.util.UUID;

/**
 * Ids kept as two longs when they are UUIDs in their canonical text (36 characters, lower-case hex,
 * dashes at 8, 13, 18 and 23: what {@link UUID#toString} writes), so that in-memory stores need not
 * keep an 80-byte string per row; any other id is kept as its string. The text is given back
 * exactly: only ids that {@link UUID#toString} writes the same way are compacted.
 */
public final class CompactIds {
  private CompactIds() {}

  /** Whether {@code id} is a UUID as {@link UUID#toString} writes it. */
  public static boolean isCanonicalUuid(String id) {
    if (id.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = id.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return false;
        }
      } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** The high 64 bits of a canonical UUID text ({@link #isCanonicalUuid}). */
  public static long high(String id) {
    return (hex(id, 0, 8) << 32) | (hex(id, 9, 13) << 16) | hex(id, 14, 18);
  }

  /** The low 64 bits of a canonical UUID text ({@link #isCanonicalUuid}). */
  public static long low(String id) {
    return (hex(id, 19, 23) << 48) | hex(id, 24, 36);
  }

  /** The canonical text of the UUID of these bits. */
  public static String text(long high, long low) {
    return new UUID(high, low).toString();
  }

  /** A hash of the UUID of these bits, spread over an int. */
  public static int hash(long high, long low) {
    long h = high * 0x9E3779B97F4A7C15L ^ low;
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 32));
  }

  private static long hex(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      v = (v << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return v;
  }
}
