package dev.steward.sendgrid.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * One address unsubscribed from one unsubscribe group, as {@code GET /v3/asm/suppressions} lists
 * it.
 *
 * @param email the address
 * @param groupId the unsubscribe group
 * @param created when SendGrid recorded it
 */
public record GroupUnsubscribe(String email, int groupId, Instant created) {
  /** Checks the parts. */
  public GroupUnsubscribe {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(created, "created");
  }

  @Override
  public String toString() {
    int at = email.lastIndexOf('@');
    String masked = at > 0 ? email.charAt(0) + "***" + email.substring(at) : "***";
    return "GroupUnsubscribe[" + masked + ", group " + groupId + ", " + created + "]";
  }
}
