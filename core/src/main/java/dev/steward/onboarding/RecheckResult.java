package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one re-check of a tenant found.
 *
 * @param tenant the tenant
 * @param at when it ran
 * @param reports one report per gate re-checked (blocklists under {@link OnboardingPhase#VETTING},
 *     authentications under {@link OnboardingPhase#SENDER_DOMAIN_VERIFICATION}); empty when the
 *     tenant was not due for any (not past vetting, rejected, terminated or not enrolled)
 * @param recorded the verdicts written on the tenant's audit trail: every report that did not pass,
 *     and a pass that follows a re-check that did not
 * @param warning the governance warning raised for a failed report, if one was
 */
public record RecheckResult(
    TenantId tenant,
    Instant at,
    List<CheckReport> reports,
    List<PhaseVerdict> recorded,
    Optional<String> warning) {
  public RecheckResult {
    Checks.notNull("tenant", tenant);
    Checks.notNull("at", at);
    reports = List.copyOf(Checks.notNull("reports", reports));
    recorded = List.copyOf(Checks.notNull("recorded", recorded));
    Checks.notNull("warning", warning);
  }

  /** The worst verdict of the reports; PASS when nothing was re-checked. */
  public Verdict verdict() {
    Verdict v = Verdict.PASS;
    for (CheckReport r : reports) {
      v = v.worse(r.verdict());
    }
    return v;
  }
}
