package dev.steward.sendgrid.admin;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a SendGrid suppression list, as SendGrid wrote it (an invalid-emails entry may not
 * be a valid address, so the address stays text here).
 *
 * @param email the address
 * @param created when SendGrid added it
 * @param status the enhanced SMTP status of a bounce or block, when given
 */
public record ListedAddress(String email, Instant created, Optional<String> status) {
  /** Checks the parts. */
  public ListedAddress {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(status, "status");
  }

  @Override
  public String toString() {
    int at = email.lastIndexOf('@');
    String masked = at > 0 ? email.charAt(0) + "***" + email.substring(at) : "***";
    return "ListedAddress[" + masked + ", " + created + status.map(s -> ", " + s).orElse("") + "]";
  }
}
