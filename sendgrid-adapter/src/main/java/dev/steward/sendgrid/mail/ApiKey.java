package dev.steward.sendgrid.mail;

import dev.steward.sendgrid.internal.Secrets;
import java.util.Objects;

/**
 * A SendGrid API key, held so that it cannot leak by accident: {@link #toString()} is redacted, and
 * only the adapter's own packages read the key itself (to write the {@code Authorization} header).
 * Neither the transport's log lines nor its exception messages carry it.
 */
public final class ApiKey {
  static {
    Secrets.install(k -> k.value);
  }

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /**
   * Wraps a key; refuses a null, blank or whitespace-holding one, naming the problem but never the
   * value.
   */
  public static ApiKey of(String value) {
    Objects.requireNonNull(value, "API key must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException("API key must not be blank");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            "API key holds a space, control or non-ASCII character at index " + i);
      }
    }
    return new ApiKey(value);
  }

  /** Two keys are equal when their values are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey other && java.security.MessageDigest.isEqual(bytes(), other.bytes());
  }

  private byte[] bytes() {
    return value.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** Always {@code ApiKey[redacted]}. */
  @Override
  public String toString() {
    return "ApiKey[redacted]";
  }
}
