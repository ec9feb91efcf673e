package dev.steward.review8;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.DomainAuthentication;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingWorkflow;
import dev.steward.onboarding.PhaseOutcome;
import dev.steward.onboarding.Verdict;
import dev.steward.testing.FakeSenderAuthentication;
import dev.steward.testing.SettableClock;
import dev.steward.testing.StaticDnsResolver;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile review of the onboarding workflow's sender-domain phase. */
class OnboardingWorkflowReview8Test {
  private static final TenantId T = TenantId.of("acme");

  /**
   * DEFECT: verifySenderDomains renames every result "<domain> <check>", but a CheckResult name
   * holds at most 200 characters; a valid sender domain of 196 characters (the provider accepted it
   * and published its records) makes the phase throw InvalidOnboardingInputException ("check is 216
   * characters long") instead of recording a verdict. The tenant is stuck in domain verification
   * with an error that names an internal field, not its domain. Correct: the phase concludes (here:
   * FAIL, nothing is published) and records the verdict.
   */
  @Test
  void aLongButValidSenderDomainGetsAVerdictNotAnException() {
    String label = "a".repeat(63);
    String domain = label + "." + label + "." + "c".repeat(60) + ".example";
    assertThat(domain).hasSize(196);
    StaticDnsResolver dns = StaticDnsResolver.of();
    FakeSenderAuthentication provider = FakeSenderAuthentication.over(dns, "sendgrid.example");
    OnboardingWorkflow w =
        OnboardingWorkflow.builder(
                SettableClock.of(Instant.parse("2026-03-02T10:00:00Z")),
                InMemoryOnboardingStore.of())
            .senderAuthentication(provider)
            .dnsResolver(dns)
            .build();
    Actor ops = Actor.human("ops");
    w.enrol(T, ops);
    w.decide(T, OnboardingPhase.VETTING, Verdict.PASS, ops, "documents checked by hand");
    DomainAuthentication a = w.startDomainVerification(T, domain);

    PhaseOutcome outcome = w.verifySenderDomains(T, List.of(a.id()));

    assertThat(outcome.report().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(w.find(T).orElseThrow().state()).isEqualTo(OnboardingState.DOMAIN_VERIFICATION);
  }
}
