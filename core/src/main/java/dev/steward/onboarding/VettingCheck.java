package dev.steward.onboarding;

import dev.steward.model.TenantId;

/**
 * One item of the vetting checklist (phase 1): looks at a tenant's profile, and at data kept about
 * it where a check has some, and answers with a verdict and its evidence. Built-in checks are in
 * {@link VettingChecks}; an ISV adds its own by implementing this. A check that throws is recorded
 * as needing review, with the failure as its evidence.
 */
public interface VettingCheck {
  /** A short, stable name (appears in findings). */
  String name();

  /** The result for {@code tenant} with {@code profile}. */
  CheckResult check(TenantId tenant, TenantProfile profile);
}
