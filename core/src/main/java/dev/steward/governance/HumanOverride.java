package dev.steward.governance;

import java.time.Instant;
import java.util.Optional;

/**
 * A human's decision on a tenant's level, which wins over automatic evaluation while it is in
 * force.
 *
 * @param by who decided (a user name or id)
 * @param at when
 * @param until when it ends; empty for until cleared
 */
public record HumanOverride(
    Level level, String reason, String by, Instant at, Optional<Instant> until) {
  /** The longest reason kept. */
  public static final int MAX_REASON = 2000;

  public HumanOverride {
    InvalidGovernanceException.requireNonNull(level, "override level");
    if (reason == null || reason.isBlank()) {
      throw new InvalidGovernanceException("an override needs a reason");
    }
    if (reason.length() > MAX_REASON) {
      throw new InvalidGovernanceException(
          "override reason is " + reason.length() + " characters; at most " + MAX_REASON);
    }
    if (by == null || by.isBlank()) {
      throw new InvalidGovernanceException("an override needs to say who made it");
    }
    if (by.length() > 200) {
      throw new InvalidGovernanceException("override 'by' is longer than 200 characters");
    }
    InvalidGovernanceException.requireNonNull(at, "override time");
    InvalidGovernanceException.requireNonNull(until, "override until");
    if (until.isPresent() && !until.get().isAfter(at)) {
      throw new InvalidGovernanceException(
          "override until " + until.get() + " must be after its time " + at);
    }
  }

  /** True if the override is in force at {@code now}. */
  public boolean inForceAt(Instant now) {
    return until.map(now::isBefore).orElse(true);
  }
}
