package dev.steward.onboarding;

import dev.steward.StewardException;
import dev.steward.model.TenantId;

/**
 * A tenant cannot move from one state to another: the move is not in the state machine, its guard
 * refused it (a gate not cleared, a rule where a person is needed), or another instance moved the
 * tenant first. Nothing was written.
 */
public class IllegalTransitionException extends StewardException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenant;
  private final OnboardingState from;
  private final OnboardingState to;
  private final String why;

  public IllegalTransitionException(
      TenantId tenant, OnboardingState from, OnboardingState to, String why) {
    super("tenant " + tenant + " cannot move from " + from + " to " + to + ": " + why);
    this.tenant = tenant;
    this.from = from;
    this.to = to;
    this.why = why;
  }

  /** The tenant. */
  public TenantId tenant() {
    return tenant;
  }

  /** The state the tenant was in. */
  public OnboardingState from() {
    return from;
  }

  /** The state asked for. */
  public OnboardingState to() {
    return to;
  }

  /** Why the move was refused. */
  public String why() {
    return why;
  }
}
