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
 * @param resumeTo the level to return to when it ends, fixed when it was made: the tenant's level
 *     then, or under an earlier timed override that one's {@code resumeTo} (a temporary decision
 *     never becomes the level to return to); when the metrics can be judged at its end they decide
 *     instead, unless this is {@link Level#TERMINATE}, a termination that had no end
 */
public record HumanOverride(
    Level level, String reason, String by, Instant at, Optional<Instant> until, Level resumeTo) {
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
    InvalidGovernanceException.requireNonNull(resumeTo, "override resumeTo");
    if (until.isPresent() && !until.get().isAfter(at)) {
      throw new InvalidGovernanceException(
          "override until " + until.get() + " must be after its time " + at);
    }
  }

  /** True if the override is in force at {@code now}. */
  public boolean inForceAt(Instant now) {
    return until.map(now::isBefore).orElse(true);
  }

  /** This override, returning to {@code level} when it ends. */
  HumanOverride resumingTo(Level level) {
    return new HumanOverride(this.level, reason, by, at, until, level);
  }

  /**
   * The level an override made over {@code s} returns to when it ends: the level of {@code s} when
   * no override is in it or its override has no end (a permanent decision, a permanent termination
   * included, outlasts a temporary one made over it); under a timed override, in force or run out,
   * what that one would have returned to, so that a temporary decision (a temporary termination)
   * never outlives its time by being extended or replaced.
   */
  static Level resumeLevelOf(Standing s) {
    return s.override()
        .filter(o -> o.until().isPresent())
        .map(HumanOverride::resumeTo)
        .orElse(s.level());
  }
}
