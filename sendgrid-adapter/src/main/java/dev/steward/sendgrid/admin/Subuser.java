package dev.steward.sendgrid.admin;

import java.util.Objects;

/**
 * A subuser as SendGrid created it.
 *
 * @param username its username
 * @param userId SendGrid's id of it
 */
public record Subuser(String username, long userId) {
  /** Checks the username. */
  public Subuser {
    Objects.requireNonNull(username, "username");
  }
}
