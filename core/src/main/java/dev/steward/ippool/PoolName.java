package dev.steward.ippool;

/**
 * The name of an IP pool. SendGrid's Mail Send API takes {@code ip_pool_name} of 2 to 64 characters
 * ({@code tsg_mail_v3.json}; the IP pools API caps names at 64 in {@code tsg_ips_v3.json}); the
 * name is also a path segment of {@code /v3/ips/pools/{pool_name}}, so Steward refuses control
 * characters, {@code /}, leading or trailing white space (no-break spaces included) and a leading
 * period (SendGrid refuses it; {@code ..} would be a dot-segment of that path) as well.
 */
public record PoolName(String value) implements Comparable<PoolName> {
  /** The shortest name SendGrid accepts. */
  public static final int MIN_LENGTH = 2;

  /** The longest name SendGrid accepts. */
  public static final int MAX_LENGTH = 64;

  public PoolName {
    if (value == null) {
      throw new InvalidPoolNameException("pool name must not be null");
    }
    int length = value.codePointCount(0, value.length());
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw new InvalidPoolNameException(
          "pool name '"
              + value
              + "' has "
              + length
              + " characters; SendGrid takes "
              + MIN_LENGTH
              + " to "
              + MAX_LENGTH);
    }
    if (isSpace(value.codePointAt(0)) || isSpace(value.codePointBefore(value.length()))) {
      throw new InvalidPoolNameException(
          "pool name '" + value + "' starts or ends with white space");
    }
    if (value.charAt(0) == '.') {
      throw new InvalidPoolNameException(
          "pool name '"
              + value
              + "' starts with a period: SendGrid refuses it, and '.' or '..' would be a"
              + " dot-segment of /v3/ips/pools/{pool_name}");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || c == '/' || Character.isSurrogate(c)) {
        throw new InvalidPoolNameException(
            "pool name '"
                + value.replaceAll("\\p{Cntrl}", "?")
                + "' has the character U+"
                + String.format("%04X", (int) c)
                + " at index "
                + i
                + "; control characters, '/' and characters outside the basic plane are refused");
      }
    }
  }

  /** White space by Java or by Unicode (no-break spaces, U+00A0, U+2007, U+202F, among them). */
  private static boolean isSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  /** Shorthand for {@code new PoolName(value)}. */
  public static PoolName of(String value) {
    return new PoolName(value);
  }

  @Override
  public int compareTo(PoolName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
