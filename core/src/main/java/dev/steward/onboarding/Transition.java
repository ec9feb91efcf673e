package dev.steward.onboarding;

import java.time.Instant;

/**
 * One move of a tenant's state, as the audit trail keeps it.
 *
 * @param from the state left
 * @param to the state entered
 * @param by who or which rule moved it
 * @param at when
 * @param reason why, in words a reviewer reads
 */
public record Transition(
    OnboardingState from, OnboardingState to, Actor by, Instant at, String reason) {
  public Transition {
    Checks.notNull("from", from);
    Checks.notNull("to", to);
    Checks.notNull("by", by);
    Checks.notNull("at", at);
    reason = Checks.text("reason", reason, 2000);
  }
}
