package dev.steward.sendgrid.admin;

import java.util.Objects;
import java.util.Optional;

/** Checks of the names and values the account API takes; messages name the problem. */
final class Names {
  private Names() {}

  /** A subuser's username: 1 to 64 visible ASCII characters, no slash. */
  static String subuser(String username) {
    Objects.requireNonNull(username, "subuser username");
    if (username.isEmpty() || username.length() > 64) {
      throw new IllegalArgumentException(
          "subuser username must be 1 to 64 characters, not " + username.length());
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

  /** A webhook id as SendGrid gives it. */
  static String id(String what, String id) {
    Objects.requireNonNull(id, what);
    if (id.isBlank() || id.length() > 200 || id.contains("/")) {
      throw new IllegalArgumentException(what + " must be 1 to 200 characters without a slash");
    }
    return id;
  }
}
