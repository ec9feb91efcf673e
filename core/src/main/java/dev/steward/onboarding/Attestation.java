package dev.steward.onboarding;

import java.time.Instant;

/**
 * The tenant's acceptance of the ISV's acceptable-use policy.
 *
 * @param signedBy who accepted it for the tenant
 * @param signedAt when
 * @param policyVersion which version of the policy
 */
public record Attestation(String signedBy, Instant signedAt, String policyVersion) {
  public Attestation {
    signedBy = Checks.text("attestation signedBy", signedBy, 200);
    Checks.notNull("attestation signedAt", signedAt);
    policyVersion = Checks.text("attestation policyVersion", policyVersion, 100);
  }
}
