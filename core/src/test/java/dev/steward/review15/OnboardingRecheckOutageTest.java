package dev.steward.review15;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.DnsBlocklist;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.RecheckTargets;
import dev.steward.onboarding.Verdict;
import dev.steward.schedule.WorkState;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import dev.steward.testing.StaticDnsResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A re-check whose targets (the application's own data, behind {@link RecheckTargets}) cannot be
 * read for a few hours must not stop the tenant's re-checks for good: the daily re-check comes back
 * once the targets answer again.
 */
class OnboardingRecheckOutageTest {
  private static final Actor RULE = Actor.rule("test");
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));

  private void active(OnboardingStateMachine m, TenantId t) {
    m.enrol(t, RULE);
    OnboardingPhase[] gates = {
      OnboardingPhase.VETTING,
      OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
      OnboardingPhase.CONTENT_REVIEW
    };
    OnboardingState[] next = {
      OnboardingState.DOMAIN_VERIFICATION, OnboardingState.CONTENT_REVIEW, OnboardingState.PILOT
    };
    for (int i = 0; i < 3; i++) {
      m.recordVerdict(
          t, new PhaseVerdict(gates[i], Verdict.PASS, RULE, clock.instant(), "ok", List.of()));
      m.transition(t, next[i], RULE, "passed");
    }
    m.transition(t, OnboardingState.POOL_ASSIGNMENT, RULE, "graduated");
    m.transition(t, OnboardingState.ACTIVE, RULE, "placed by hand");
  }

  private static void drain(Steward s) {
    for (int i = 0; i < 100; i++) {
      if (s.runDue() == 0) {
        return;
      }
    }
    fail("due work never ran out");
  }

  private void hours(Steward s, int hours) {
    for (int m = 0; m < hours * 12; m++) {
      clock.advance(Duration.ofMinutes(5));
      drain(s);
    }
  }

  @Test
  void aFewHoursOfTargetsThatThrowDoNotEndTheTenantsReChecks() {
    AtomicBoolean down = new AtomicBoolean();
    RecheckTargets targets =
        t -> {
          if (down.get()) {
            throw new IllegalStateException("the application's database is down");
          }
          return Set.of(t.value() + ".example");
        };
    StaticDnsResolver dns = StaticDnsResolver.of();
    Stores stores = Stores.inMemory(clock);
    Steward s =
        Steward.builder(clock)
            .stores(stores)
            .transport(RecordingTransport.of())
            .onboardingRechecks(
                targets, r -> r.blocklists(dns, List.of(DnsBlocklist.of("dbl.example.org"))))
            .build();
    active(s.onboarding().orElseThrow(), ACME);
    drain(s); // the sweep gives the tenant its re-check item, due in a day

    down.set(true);
    hours(s, 24 + 4); // the first re-check falls in four hours of outage
    down.set(false);
    long before = dns.asked().size();
    hours(s, 48);

    assertThat(dns.asked().size() - before)
        .as("re-checks after the outage")
        .isGreaterThanOrEqualTo(1);
    assertThat(stores.work().count(WorkState.DEAD)).as("no re-check given up for good").isZero();
  }
}
