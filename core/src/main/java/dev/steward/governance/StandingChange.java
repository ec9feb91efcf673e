package dev.steward.governance;

import java.time.Instant;

/**
 * One entry of a tenant's standing history.
 *
 * @param explanation why, in words: the metric, value, threshold and window, or a human's reason
 */
public record StandingChange(Instant at, Level from, Level to, Cause cause, String explanation) {
  public StandingChange {
    InvalidGovernanceException.requireNonNull(at, "change time");
    InvalidGovernanceException.requireNonNull(from, "change from");
    InvalidGovernanceException.requireNonNull(to, "change to");
    InvalidGovernanceException.requireNonNull(cause, "change cause");
    InvalidGovernanceException.requireNonNull(explanation, "change explanation");
  }
}
