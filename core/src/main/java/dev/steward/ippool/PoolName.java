package dev.steward.ippool;

/**
 * The name of an IP pool. SendGrid's Mail Send API takes {@code ip_pool_name} of 2 to 64 characters
 * ({@code tsg_mail_v3.json}; the IP pools API caps names at 64 in {@code tsg_ips_v3.json}); the
 * name is also a path segment of {@code /v3/ips/pools/{pool_name}}, so Steward refuses control
 * characters, {@code /}, and leading or trailing white space as well.
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
    if (!value.equals(value.strip())) {
      throw new InvalidPoolNameException(
          "pool name '" + value + "' starts or ends with white space");
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
