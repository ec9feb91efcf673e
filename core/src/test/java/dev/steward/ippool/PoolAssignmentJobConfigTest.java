package dev.steward.ippool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.testing.InMemoryIpPoolAdmin;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pool assignment job's configuration: defaults, and bad values refused by name. */
class PoolAssignmentJobConfigTest {
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-04-01T08:00:00Z"));
  private final InMemoryPoolAssignmentStore store = InMemoryPoolAssignmentStore.of();
  private final PoolPlanner planner =
      PoolPlanner.builder(
              IpPoolStrategy.tiered(),
              store,
              InMemoryGovernanceMetricsStore.of(),
              InMemoryStandingStore.of(),
              clock)
          .build();
  private final PoolPlanApplier applier =
      PoolPlanApplier.builder(InMemoryIpPoolAdmin.of(clock), store, clock).build();
  private final OnboardingStateMachine machine =
      OnboardingStateMachine.builder(clock, InMemoryOnboardingStore.of()).build();

  @Test
  void defaultsAndBadValues() {
    PoolAssignmentJob job = PoolAssignmentJob.builder(planner, applier, machine).build();
    assertThat(job.every()).isEqualTo(PoolAssignmentJob.DEFAULT_EVERY);
    assertThat(job.key().kind()).isEqualTo(PoolAssignmentJob.KIND);
    assertThat(job.page()).isEqualTo(PoolAssignmentJob.DEFAULT_PAGE);
    assertThat(job.runOnce()).as("no tenant in onboarding: nothing planned").isZero();

    assertThatThrownBy(
            () -> PoolAssignmentJob.builder(planner, applier, machine).every(Duration.ofMinutes(1)))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("pool assignment every must be at least PT5M, was PT1M");
    assertThatThrownBy(() -> PoolAssignmentJob.builder(planner, applier, machine).page(0))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("pool assignment page must be 1 to 1000, was 0");
    assertThatThrownBy(() -> PoolAssignmentJob.builder(planner, applier, machine).page(1001))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("was 1001");
    assertThatThrownBy(() -> PoolAssignmentJob.builder(null, applier, machine))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("planner");
  }
}
