package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Level;
import dev.steward.model.TenantId;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.testing.FakeSenderAuthentication;
import dev.steward.testing.SettableClock;
import dev.steward.testing.StaticDnsResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Re-checks of sender-domain authentication and blocklists: which tenants each reaches, what is
 * recorded and warned, and the configuration refused.
 */
class OnboardingRechecksTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");
  private static final Actor RULE = Actor.rule("test");

  private final SettableClock clock = SettableClock.of(Instant.parse("2026-04-01T08:00:00Z"));
  private final StaticDnsResolver dns = StaticDnsResolver.of();
  private final FakeSenderAuthentication provider =
      FakeSenderAuthentication.over(dns, DnsFixtures.PROVIDER);
  private final OnboardingStateMachine machine =
      OnboardingStateMachine.builder(clock, InMemoryOnboardingStore.of()).build();
  private final GovernanceEvaluator governance =
      GovernanceEvaluator.builder(
              InMemoryGovernanceMetricsStore.of(), InMemoryStandingStore.of(), clock)
          .build();
  private final Map<TenantId, List<String>> auths = new ConcurrentHashMap<>();
  private final RecheckTargets targets =
      new RecheckTargets() {
        @Override
        public Set<String> domains(TenantId t) {
          return Set.of("mail." + t.value() + ".example");
        }

        @Override
        public List<String> authentications(TenantId t) {
          return auths.getOrDefault(t, List.of());
        }
      };

  private OnboardingRechecks rechecks() {
    return OnboardingRechecks.builder(machine, governance, targets)
        .blocklists(dns, List.of(DnsBlocklist.of("dbl.example.org")))
        .senderAuthentication(provider, dns)
        .build();
  }

  private void pass(TenantId t, OnboardingPhase gate, OnboardingState next) {
    machine.recordVerdict(
        t, new PhaseVerdict(gate, Verdict.PASS, RULE, clock.instant(), "ok", List.of()));
    machine.transition(t, next, RULE, "passed");
  }

  private void intoPilot(TenantId t) {
    machine.enrol(t, RULE);
    pass(t, OnboardingPhase.VETTING, OnboardingState.DOMAIN_VERIFICATION);
    pass(t, OnboardingPhase.SENDER_DOMAIN_VERIFICATION, OnboardingState.CONTENT_REVIEW);
    pass(t, OnboardingPhase.CONTENT_REVIEW, OnboardingState.PILOT);
  }

  @Test
  void aDkimRecordTakenDownIsRecordedAgainstDomainVerificationAndWarnedButTheTenantStays() {
    intoPilot(ACME);
    DomainAuthentication auth = provider.create(ACME, "mail.acme.example");
    DnsFixtures.publish(dns, auth);
    auths.put(ACME, List.of(auth.id()));
    OnboardingRechecks r = rechecks();

    RecheckResult fine = r.recheck(ACME);
    assertThat(fine.verdict()).isEqualTo(Verdict.PASS);
    assertThat(fine.reports())
        .extracting(CheckReport::phase)
        .containsExactly(OnboardingPhase.VETTING, OnboardingPhase.SENDER_DOMAIN_VERIFICATION);
    assertThat(fine.recorded()).as("a pass after nothing wrong is not recorded").isEmpty();
    assertThat(fine.warning()).isEmpty();

    clock.advance(Duration.ofDays(1));
    dns.remove("s1._domainkey.mail.acme.example", RecordType.CNAME);
    RecheckResult broken = r.recheck(ACME);

    assertThat(broken.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(broken.recorded())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.phase()).isEqualTo(OnboardingPhase.SENDER_DOMAIN_VERIFICATION);
              assertThat(v.by()).isEqualTo(OnboardingRechecks.RECHECK_RULE);
              assertThat(v.reason()).startsWith("re-check of sender-domain authentication");
              assertThat(v.findings()).anyMatch(f -> f.contains("mail.acme.example"));
            });
    assertThat(broken.warning()).isPresent();
    assertThat(governance.standing(ACME).level()).isEqualTo(Level.WARN);
    OnboardingRecord rec = machine.find(ACME).orElseThrow();
    assertThat(rec.state()).isEqualTo(OnboardingState.PILOT);
    assertThat(rec.verdicts().get(rec.verdicts().size() - 1)).isEqualTo(broken.recorded().get(0));

    // the provider forgetting the authentication fails too
    auths.put(ACME, List.of("no-such-id"));
    RecheckResult gone = r.recheck(ACME);
    assertThat(gone.reports().get(1).problems())
        .singleElement()
        .satisfies(c -> assertThat(c.summary()).contains("no longer knows"));
  }

  @Test
  void onlyTenantsPastAGateAreRecheckedOnItAndNothingBeforeVetting() {
    machine.enrol(ACME, RULE);
    pass(ACME, OnboardingPhase.VETTING, OnboardingState.DOMAIN_VERIFICATION);
    machine.enrol(GLOBEX, RULE);
    DomainAuthentication auth = provider.create(ACME, "mail.acme.example");
    auths.put(ACME, List.of(auth.id()));
    OnboardingRechecks r = rechecks();

    assertThat(r.recheck(ACME).reports())
        .as("in domain verification: its blocklists, not yet its authentication")
        .extracting(CheckReport::phase)
        .containsExactly(OnboardingPhase.VETTING);
    assertThat(r.recheck(GLOBEX).reports()).isEmpty();
    assertThat(r.recheck(TenantId.of("unknown")).reports()).isEmpty();
    assertThat(dns.asked()).allMatch(q -> q.startsWith("mail.acme.example.dbl.example.org"));

    // a re-check verdict cannot be written on a gate the tenant is still in
    assertThatThrownBy(
            () ->
                machine.recordRecheck(
                    ACME,
                    new PhaseVerdict(
                        OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
                        Verdict.FAIL,
                        OnboardingRechecks.RECHECK_RULE,
                        clock.instant(),
                        "x",
                        List.of())))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("needs a tenant that has cleared it");
  }

  @Test
  void anUnansweredBlocklistIsRecordedForReviewWithoutAWarning() {
    intoPilot(ACME);
    dns.set("mail.acme.example.dbl.example.org", RecordType.A, "127.255.255.254");
    RecheckResult r = rechecks().recheck(ACME);
    assertThat(r.verdict()).isEqualTo(Verdict.NEEDS_REVIEW);
    assertThat(r.recorded())
        .extracting(PhaseVerdict::verdict)
        .containsExactly(Verdict.NEEDS_REVIEW);
    assertThat(r.warning()).isEmpty();
    assertThat(governance.standing(ACME).level()).isEqualTo(Level.NONE);
  }

  @Test
  void badConfigurationIsRefusedNamingWhatIsWrong() {
    assertThatThrownBy(() -> OnboardingRechecks.builder(machine, governance, targets).build())
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("nothing to re-check");
    assertThatThrownBy(
            () ->
                OnboardingRechecks.builder(machine, governance, targets)
                    .every(Duration.ofMinutes(30)))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("recheck every must be at least PT1H, was PT30M");
    assertThatThrownBy(() -> OnboardingRechecks.builder(machine, governance, targets).every(null))
        .isInstanceOf(InvalidOnboardingInputException.class);
    assertThatThrownBy(
            () ->
                OnboardingRechecks.builder(machine, governance, targets).blocklists(dns, List.of()))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("at least one blocklist");
    assertThatThrownBy(() -> OnboardingRechecks.builder(machine, governance, null))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("targets");
    // a malformed domain from the application is named with its tenant
    OnboardingRechecks r =
        OnboardingRechecks.builder(machine, governance, t -> Set.of("not a domain"))
            .blocklists(dns, List.of(DnsBlocklist.of("dbl.example.org")))
            .build();
    intoPilot(ACME);
    assertThatThrownBy(() -> r.recheck(ACME))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("domains[0] of tenant acme");
  }
}
