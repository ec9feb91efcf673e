package dev.steward.sendgrid.admin;

import dev.steward.StewardException;

/**
 * Two tenants would act as one SendGrid subuser: the same username, or usernames that differ only
 * in letter case (SendGrid does not tell usernames apart by case), so one tenant's mail, keys and
 * suppressions would be the other's. Thrown before any request.
 */
public final class SubuserConflictException extends StewardException {
  private static final long serialVersionUID = 1L;

  /** With a message naming the tenants and the username. */
  public SubuserConflictException(String message) {
    super(message);
  }
}
