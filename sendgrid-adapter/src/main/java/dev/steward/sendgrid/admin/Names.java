package dev.steward.sendgrid.admin;

import java.util.Objects;
import java.util.Optional;

/** Checks of the names and values the account API takes; messages name the problem. */
final class Names {
  private Names() {}

  /**
   * A subuser's username: 1 to 64 visible ASCII characters, no slash, not {@code .} or {@code ..}
   * (the name is a path segment, and OkHttp resolves those: {@code /v3/subusers/..} would be {@code
   * /v3/}).
   */
  static String subuser(String username) {
    Objects.requireNonNull(username, "subuser username");
    if (username.isEmpty() || username.length() > 64) {
      throw new IllegalArgumentException(
          "subuser username must be 1 to 64 characters, not " + username.length());
    }
    if (username.equals(".") || username.equals("..")) {
      throw new IllegalArgumentException(
          "subuser username must not be '.' or '..' (it is a URL path segment)");
    }
    for (int i = 0; i < username.length(); i++) {
      char c = username.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '/') {
        throw new IllegalArgumentException(
            "subuser username holds a space, slash, control or non-ASCII character at index " + i);
      }
    }
    return username;
  }

  /** The optional subuser a call acts for. */
  static Optional<String> onBehalfOf(Optional<String> subuser) {
    Objects.requireNonNull(subuser, "onBehalfOf");
    return subuser.map(Names::subuser);
  }

  /**
   * A webhook id as SendGrid gives it: 1 to 200 characters, no slash, not {@code .} or {@code ..}
   * (a path segment OkHttp would resolve: {@code .../settings/.} would be {@code .../settings/}).
   */
  static String id(String what, String id) {
    Objects.requireNonNull(id, what);
    if (id.isBlank() || id.length() > 200 || id.contains("/")) {
      throw new IllegalArgumentException(what + " must be 1 to 200 characters without a slash");
    }
    if (id.equals(".") || id.equals("..")) {
      throw new IllegalArgumentException(
          what + " must not be '.' or '..' (it is a URL path segment)");
    }
    return id;
  }

  /**
   * A domain name in lower case without a final dot, an internationalised one in its ASCII (xn--)
   * form: 2 or more labels of letters, digits and '-' (not at either end), at most 253 characters,
   * a top-level label not all digits (core's rule: no IP literal).
   */
  static String domain(String what, String raw) {
    Objects.requireNonNull(raw, what);
    String d = raw.strip();
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.chars().anyMatch(c -> c >= 0x80)) {
      // an internationalised domain name: SendGrid and DNS take its ASCII (xn--) form
      try {
        d = java.net.IDN.toASCII(d, java.net.IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            what + " '" + raw + "' is not a valid internationalised domain name: " + e.getMessage(),
            e);
      }
    }
    d = d.toLowerCase(java.util.Locale.ROOT);
    if (d.isEmpty() || d.length() > 253) {
      throw new IllegalArgumentException(what + " must be 1 to 253 characters, not " + d.length());
    }
    String[] labels = d.split("\\.", -1);
    if (labels.length < 2) {
      throw new IllegalArgumentException(what + " '" + raw + "' has no top-level label");
    }
    String top = labels[labels.length - 1];
    if (top.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          what + " '" + raw + "' has an all-numeric top-level label (an IP address is no domain)");
    }
    for (String label : labels) {
      if (!label.matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")) {
        throw new IllegalArgumentException(
            what
                + " '"
                + raw
                + "' has a label that is empty, too long, or holds other than letters, digits and"
                + " inner '-'");
      }
    }
    return d;
  }
}
