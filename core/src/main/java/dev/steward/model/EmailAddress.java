package dev.steward.model;

import java.util.Locale;

/**
 * A validated email address (the practical subset of RFC 5321 that mail providers accept): one
 * {@code @}, a local part of 1 to 64 characters, a domain of dot-separated labels with a top-level
 * label, at most 254 characters in all. The domain is kept in lower case; the local part as given.
 */
public record EmailAddress(String value) {
  public EmailAddress {
    value = normalise(value);
  }

  /** Parses and validates an address, naming what is wrong when it is not valid. */
  public static EmailAddress of(String value) {
    return new EmailAddress(value);
  }

  /** The part after the {@code @}, in lower case. */
  public String domain() {
    return value.substring(value.lastIndexOf('@') + 1);
  }

  /** The part before the {@code @}. */
  public String localPart() {
    return value.substring(0, value.lastIndexOf('@'));
  }

  /**
   * The address with its local part hidden but for its first character ({@code a***@example.com}):
   * what a log line at INFO or above may show.
   */
  public String masked() {
    return value.charAt(0) + "***@" + domain();
  }

  @Override
  public String toString() {
    return value;
  }

  private static String normalise(String raw) {
    if (raw == null) {
      throw new InvalidModelException("email address must not be null");
    }
    String v = raw.strip();
    if (v.isEmpty()) {
      throw new InvalidModelException("email address must not be blank");
    }
    if (v.length() > 254) {
      throw invalid(raw, "is " + v.length() + " characters long; at most 254 allowed");
    }
    int at = v.indexOf('@');
    if (at < 0) {
      throw invalid(raw, "has no '@'");
    }
    if (v.indexOf('@', at + 1) >= 0) {
      throw invalid(raw, "has more than one '@'");
    }
    String local = v.substring(0, at);
    String domain = v.substring(at + 1);
    checkLocal(raw, local);
    checkDomain(raw, domain);
    return local + "@" + domain.toLowerCase(Locale.ROOT);
  }

  private static void checkLocal(String raw, String local) {
    if (local.isEmpty()) {
      throw invalid(raw, "has an empty local part before '@'");
    }
    if (local.length() > 64) {
      throw invalid(
          raw, "has a local part of " + local.length() + " characters; at most 64 allowed");
    }
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      throw invalid(raw, "has a local part with a leading, trailing or double '.'");
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
      if (!ok) {
        throw invalid(raw, "has the character '" + printable(c) + "' in its local part");
      }
    }
  }

  private static void checkDomain(String raw, String domain) {
    if (domain.isEmpty()) {
      throw invalid(raw, "has an empty domain after '@'");
    }
    if (domain.length() > 253) {
      throw invalid(raw, "has a domain longer than 253 characters");
    }
    String[] labels = domain.split("\\.", -1);
    if (labels.length < 2) {
      throw invalid(raw, "has a domain '" + domain + "' without a top-level label");
    }
    for (String label : labels) {
      if (label.isEmpty()) {
        throw invalid(raw, "has an empty label in domain '" + domain + "'");
      }
      if (label.length() > 63) {
        throw invalid(raw, "has a domain label longer than 63 characters");
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        throw invalid(raw, "has a domain label '" + label + "' that starts or ends with '-'");
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) {
          throw invalid(raw, "has the character '" + printable(c) + "' in its domain");
        }
      }
    }
    String tld = labels[labels.length - 1];
    if (tld.chars().allMatch(Character::isDigit)) {
      throw invalid(raw, "has an all-numeric top-level label '" + tld + "'");
    }
  }

  private static String printable(char c) {
    return Character.isISOControl(c) || Character.isWhitespace(c)
        ? String.format("\\u%04x", (int) c)
        : String.valueOf(c);
  }

  private static InvalidModelException invalid(String raw, String problem) {
    return new InvalidModelException("email address '" + raw + "' " + problem);
  }
}
