package dev.steward.review15;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.ippool.InMemoryPoolAssignmentStore;
import dev.steward.ippool.InvalidIpPoolException;
import dev.steward.ippool.IpPoolStrategy;
import dev.steward.ippool.PoolAssignmentJob;
import dev.steward.ippool.PoolPlanApplier;
import dev.steward.ippool.PoolPlanner;
import dev.steward.onboarding.DnsBlocklist;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.InvalidOnboardingInputException;
import dev.steward.onboarding.OnboardingRechecks;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.testing.InMemoryIpPoolAdmin;
import dev.steward.testing.SettableClock;
import dev.steward.testing.StaticDnsResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A period so long that now plus the period is past any time a store keeps must be refused when
 * configured, by name, not found out at the first run as a failure retried for ever.
 */
class OverflowingPeriodTest {
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));
  private final OnboardingStateMachine machine =
      OnboardingStateMachine.builder(clock, InMemoryOnboardingStore.of()).build();

  @Test
  void theReChecksRefuseAPeriodPastAnyStorableTime() {
    GovernanceEvaluator governance =
        GovernanceEvaluator.builder(
                InMemoryGovernanceMetricsStore.of(), InMemoryStandingStore.of(), clock)
            .build();
    for (Duration d :
        List.of(
            Duration.ofDays(366), Duration.ofDays(3_000_000), Duration.ofSeconds(Long.MAX_VALUE))) {
      assertThatThrownBy(
              () ->
                  OnboardingRechecks.builder(machine, governance, t -> Set.of())
                      .blocklists(
                          StaticDnsResolver.of(), List.of(DnsBlocklist.of("dbl.example.org")))
                      .every(d))
          .as("every %s", d)
          .isInstanceOf(InvalidOnboardingInputException.class)
          .hasMessageContaining("recheck every must be at most");
    }
  }

  @Test
  void thePoolJobRefusesAPeriodPastAnyStorableTime() {
    InMemoryPoolAssignmentStore store = InMemoryPoolAssignmentStore.of();
    PoolPlanner planner =
        PoolPlanner.builder(
                IpPoolStrategy.tiered(),
                store,
                InMemoryGovernanceMetricsStore.of(),
                InMemoryStandingStore.of(),
                clock)
            .build();
    PoolPlanApplier applier =
        PoolPlanApplier.builder(InMemoryIpPoolAdmin.of(clock), store, clock).build();
    for (Duration d :
        List.of(
            Duration.ofDays(366), Duration.ofDays(3_000_000), Duration.ofSeconds(Long.MAX_VALUE))) {
      assertThatThrownBy(() -> PoolAssignmentJob.builder(planner, applier, machine).every(d))
          .as("every %s", d)
          .isInstanceOf(InvalidIpPoolException.class)
          .hasMessageContaining("pool assignment every must be at most");
    }
  }
}
