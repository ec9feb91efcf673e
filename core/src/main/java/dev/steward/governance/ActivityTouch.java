package dev.steward.governance;

import dev.steward.model.EmailAddress;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;

/**
 * One change to a recipient's {@link RecipientActivity}: mail sent to it (keeps the earliest) or an
 * open or click (keeps the latest). Applying a touch again changes nothing.
 *
 * @param engaged true for an open or click, false for a message sent
 */
public record ActivityTouch(TenantId tenant, EmailAddress address, boolean engaged, Instant at) {
  public ActivityTouch {
    InvalidGovernanceException.requireNonNull(tenant, "activity tenant");
    InvalidGovernanceException.requireNonNull(address, "activity address");
    String problem = StoreLimits.instantProblem(at);
    if (problem != null) {
      throw new InvalidGovernanceException("activity time " + problem);
    }
  }
}
