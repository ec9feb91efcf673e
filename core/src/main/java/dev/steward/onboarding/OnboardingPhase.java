package dev.steward.onboarding;

/**
 * The eight phases of the ISV onboarding framework every tenant goes through, in order. The first
 * three are gates a tenant must clear before it may send ({@link #isGate()}); the last four are
 * continuous once it sends.
 */
public enum OnboardingPhase {
  /** 1. Vetting: a checklist over the tenant's profile. */
  VETTING,
  /** 2. Sender-domain verification: SPF, DKIM and DMARC of the From domains. */
  SENDER_DOMAIN_VERIFICATION,
  /** 3. Content review of sample emails. */
  CONTENT_REVIEW,
  /** 4. Pilot: warm-up with daily caps. */
  PILOT,
  /** 5. IP-pool assignment. */
  POOL_ASSIGNMENT,
  /** 6. Monitoring of reputation metrics. */
  MONITORING,
  /** 7. Engagement: outreach to tenants whose metrics call for it. */
  ENGAGEMENT,
  /** 8. Continuous governance: restrict, quarantine, suspend, terminate. */
  GOVERNANCE;

  /** True for the phases that need a passing verdict before the tenant leaves them. */
  public boolean isGate() {
    return this == VETTING || this == SENDER_DOMAIN_VERIFICATION || this == CONTENT_REVIEW;
  }
}
