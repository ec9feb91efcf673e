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
    return dashed(id)
        && (hex(id, 0, 8) | hex(id, 9, 13) | hex(id, 14, 18) | hex(id, 19, 23) | hex(id, 24, 36))
            >= 0;
  }

  /**
   * Whether {@code id} is a canonical UUID text ({@link #isCanonicalUuid}); if so its high and low
   * 64 bits are put in {@code bits[0]} and {@code bits[1]}: one pass over the text instead of a
   * check and a parse.
   */
  public static boolean parse(String id, long[] bits) {
    if (!dashed(id)) {
      return false;
    }
    long a = hex(id, 0, 8);
    long b = hex(id, 9, 13);
    long c = hex(id, 14, 18);
    long d = hex(id, 19, 23);
    long e = hex(id, 24, 36);
    if ((a | b | c | d | e) < 0) {
      return false;
    }
    bits[0] = (a << 32) | (b << 16) | c;
    bits[1] = (d << 48) | e;
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

  private static boolean dashed(String id) {
    return id.length() == 36
        && id.charAt(8) == '-'
        && id.charAt(13) == '-'
        && id.charAt(18) == '-'
        && id.charAt(23) == '-';
  }

  /** The value of the lower-case hex digits from..to (at most 12 of them), or -1 if one is not. */
  private static long hex(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      int d = c < DIGITS.length ? DIGITS[c] : -1;
      if (d < 0) {
        return -1;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  // the value of each lower-case hex digit by its char, -1 for any other char below 'g'
  private static final byte[] DIGITS = new byte['f' + 1];

  static {
    java.util.Arrays.fill(DIGITS, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      DIGITS[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      DIGITS[c] = (byte) (c - 'a' + 10);
    }
  }
}
