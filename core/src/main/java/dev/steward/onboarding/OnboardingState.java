package dev.steward.onboarding;

/**
 * Where a tenant stands: one state per phase of {@link OnboardingPhase}, the governance states of
 * phase 8, and {@link #REJECTED} for a tenant refused during the gates.
 */
public enum OnboardingState {
  /** Phase 1: the profile is being vetted. */
  VETTING(OnboardingPhase.VETTING),
  /** Phase 2: the sender domains are being authenticated. */
  DOMAIN_VERIFICATION(OnboardingPhase.SENDER_DOMAIN_VERIFICATION),
  /** Phase 3: sample emails are under review. */
  CONTENT_REVIEW(OnboardingPhase.CONTENT_REVIEW),
  /** Phase 4: sending under the warm-up plan's daily caps. */
  PILOT(OnboardingPhase.PILOT),
  /** Phase 5: graduated from the pilot, waiting for its IP pool. */
  POOL_ASSIGNMENT(OnboardingPhase.POOL_ASSIGNMENT),
  /** Phase 6: sending normally, its metrics monitored. */
  ACTIVE(OnboardingPhase.MONITORING),
  /** Phase 7: sending, and flagged for outreach by its metrics. */
  OUTREACH(OnboardingPhase.ENGAGEMENT),
  /** Phase 8: ramp frozen and daily cap cut. */
  RESTRICTED(OnboardingPhase.GOVERNANCE),
  /** Phase 8: moved to the quarantine pool. */
  QUARANTINED(OnboardingPhase.GOVERNANCE),
  /** Phase 8: sending stopped pending human review. */
  SUSPENDED(OnboardingPhase.GOVERNANCE),
  /** Phase 8: service ended; final. */
  TERMINATED(OnboardingPhase.GOVERNANCE),
  /** Refused during vetting, domain verification or content review; only a human reopens it. */
  REJECTED(OnboardingPhase.VETTING);

  private final OnboardingPhase phase;

  OnboardingState(OnboardingPhase phase) {
    this.phase = phase;
  }

  /** The phase this state belongs to. */
  public OnboardingPhase phase() {
    return phase;
  }

  /** True for the states of phase 8 (restricted, quarantined, suspended, terminated). */
  public boolean isGovernance() {
    return phase == OnboardingPhase.GOVERNANCE;
  }

  /**
   * True when the tenant has cleared the three gates and is not stopped: the states in which a
   * tenant gate may let its mail through (subject to its own limits).
   */
  public boolean maySend() {
    return switch (this) {
      case PILOT, POOL_ASSIGNMENT, ACTIVE, OUTREACH, RESTRICTED, QUARANTINED -> true;
      default -> false;
    };
  }
}
