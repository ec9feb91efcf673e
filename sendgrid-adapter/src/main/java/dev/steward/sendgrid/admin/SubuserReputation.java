package dev.steward.sendgrid.admin;

import java.util.Objects;

/**
 * A subuser's sender reputation as SendGrid rates it ({@code GET /v3/subusers/reputations}): 0 to
 * 100, lowered by bounces, spam reports and other negative reactions to its mail. SendGrid notes
 * that it is not computed accurately for EU regional subusers.
 *
 * @param username the subuser
 * @param reputation the rating, 0 to 100
 */
public record SubuserReputation(String username, double reputation) {
  /** Checks the parts. */
  public SubuserReputation {
    Objects.requireNonNull(username, "username");
    if (!(reputation >= 0 && reputation <= 100)) {
      throw new IllegalArgumentException("reputation must be 0 to 100, not " + reputation);
    }
  }
}
