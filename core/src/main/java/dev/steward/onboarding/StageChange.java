package dev.steward.onboarding;

import java.time.Instant;

/**
 * One move of a tenant between warm-up stages, for the audit trail.
 *
 * @param at when
 * @param from the stage before (0 is the first)
 * @param to the stage after; {@code from} when the tenant graduated from its last stage
 * @param reason why, with the counts that decided it
 */
public record StageChange(Instant at, int from, int to, String reason) {
  public StageChange {
    Checks.notNull("at", at);
    if (from < 0 || to < 0) {
      throw new InvalidOnboardingInputException(
          "stages are 0 or more, was from=" + from + ", to=" + to);
    }
    reason = Checks.text("reason", reason, 2000);
  }
}
