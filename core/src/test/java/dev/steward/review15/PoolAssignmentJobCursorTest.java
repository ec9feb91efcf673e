package dev.steward.review15;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.ippool.InMemoryPoolAssignmentStore;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpPoolStrategy;
import dev.steward.ippool.PoolAssignmentJob;
import dev.steward.ippool.PoolPlanApplier;
import dev.steward.ippool.PoolPlanner;
import dev.steward.ippool.TierConfig;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.Verdict;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.InMemoryIpPoolAdmin;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The pool assignment job's place in the tenant listing: a run that dies part-way (a planner or
 * store that throws, an instance killed) must be continued where it stopped, by whichever instance
 * takes the retry, so every tenant is planned exactly once per period.
 */
class PoolAssignmentJobCursorTest {
  private static final Actor RULE = Actor.rule("test");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-05-04T06:00:00Z"));
  private final InMemoryOnboardingStore onboarding = InMemoryOnboardingStore.of();
  private final InMemoryPoolAssignmentStore assignments = InMemoryPoolAssignmentStore.of();
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private final InMemoryIpPoolAdmin admin = InMemoryIpPoolAdmin.of(clock);
  private final OnboardingStateMachine machine =
      OnboardingStateMachine.builder(clock, onboarding).build();
  private final Map<TenantId, AtomicInteger> planned = new ConcurrentHashMap<>();
  private final AtomicBoolean failOnce = new AtomicBoolean();
  private final AtomicBoolean eraseWhilePlanning = new AtomicBoolean();
  private int page = 1;
  private final TenantId failing = TenantId.of("t1");

  PoolAssignmentJobCursorTest() {
    admin.registerReadyIp("192.0.2.10", "mta1.isv.example");
    admin.registerReadyIp("192.0.2.11", "mta2.isv.example");
    admin.createPool(TierConfig.DEFAULT_WARMUP_POOL);
    admin.addIp(TierConfig.DEFAULT_WARMUP_POOL, IpAddress.of("192.0.2.10"));
    admin.createPool(TierConfig.DEFAULT_STANDARD_POOL);
    admin.addIp(TierConfig.DEFAULT_STANDARD_POOL, IpAddress.of("192.0.2.11"));
  }

  private void waiting(TenantId t) {
    active(t, false);
  }

  private void active(TenantId t) {
    active(t, true);
  }

  private void active(TenantId t, boolean placed) {
    machine.enrol(t, RULE);
    OnboardingPhase[] gates = {
      OnboardingPhase.VETTING,
      OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
      OnboardingPhase.CONTENT_REVIEW
    };
    OnboardingState[] next = {
      OnboardingState.DOMAIN_VERIFICATION, OnboardingState.CONTENT_REVIEW, OnboardingState.PILOT
    };
    for (int i = 0; i < 3; i++) {
      machine.recordVerdict(
          t, new PhaseVerdict(gates[i], Verdict.PASS, RULE, clock.instant(), "ok", List.of()));
      machine.transition(t, next[i], RULE, "passed");
    }
    machine.transition(t, OnboardingState.POOL_ASSIGNMENT, RULE, "graduated");
    if (placed) {
      machine.transition(t, OnboardingState.ACTIVE, RULE, "placed by hand");
    }
  }

  /** One instance's job over the shared stores, with a strategy that counts plans. */
  private WorkRunner instance(String owner) {
    IpPoolStrategy tiered = IpPoolStrategy.tiered();
    IpPoolStrategy counting =
        view -> {
          if (view.tenant().equals(failing) && failOnce.compareAndSet(true, false)) {
            throw new IllegalStateException("the instance died while planning " + failing);
          }
          if (view.tenant().equals(failing) && eraseWhilePlanning.get()) {
            machine.eraseTenant(failing); // erased by a person in the middle of the run
          }
          planned.computeIfAbsent(view.tenant(), t -> new AtomicInteger()).incrementAndGet();
          return tiered.propose(view);
        };
    PoolPlanner planner =
        PoolPlanner.builder(
                counting,
                assignments,
                InMemoryGovernanceMetricsStore.of(),
                InMemoryStandingStore.of(),
                clock)
            .onboarding(onboarding)
            .build();
    PoolPlanApplier applier = PoolPlanApplier.builder(admin, assignments, clock).build();
    PoolAssignmentJob job = PoolAssignmentJob.builder(planner, applier, machine).page(page).build();
    return job.register(WorkRunner.builder(work, clock).owner(owner)).build();
  }

  private static void drain(WorkRunner r) {
    for (int i = 0; i < 100 && r.runDue() > 0; i++) {
      // until nothing is due
    }
  }

  @Test
  void aRunThatDiesPartWayIsContinuedWhereItStoppedByAnotherInstance() {
    List<TenantId> tenants = List.of(TenantId.of("t0"), failing, TenantId.of("t2"));
    tenants.forEach(this::active);
    WorkRunner a = instance("a");
    WorkRunner b = instance("b");
    failOnce.set(true);
    drain(a); // plans t0, dies on t1
    clock.advance(Duration.ofMinutes(2)); // the retry's back-off
    drain(b); // another instance takes the retry
    for (TenantId t : tenants) {
      assertThat(planned.getOrDefault(t, new AtomicInteger()).get())
          .as("plans of %s in the first period", t)
          .isEqualTo(1);
    }
    // the next period plans each again, once
    clock.advance(PoolAssignmentJob.DEFAULT_EVERY);
    drain(a);
    drain(b);
    for (TenantId t : tenants) {
      assertThat(planned.get(t).get()).as("plans of %s after two periods", t).isEqualTo(2);
    }
  }

  @Test
  void aRunThatFailsPartWayOnOneInstanceSkipsNobodyWhenThatInstanceRetries() {
    List<TenantId> tenants = List.of(TenantId.of("t0"), failing, TenantId.of("t2"));
    tenants.forEach(this::active);
    WorkRunner a = instance("a");
    failOnce.set(true);
    drain(a);
    clock.advance(Duration.ofMinutes(2));
    drain(a);
    assertThat(planned.getOrDefault(failing, new AtomicInteger()).get())
        .as("the tenant whose page failed is planned in the retry")
        .isEqualTo(1);
    assertThat(planned.get(TenantId.of("t0")).get()).isEqualTo(1);
    assertThat(planned.get(TenantId.of("t2")).get()).isEqualTo(1);
  }

  @Test
  void moreTenantsThanOnePageAreAllPlannedEveryPeriod() {
    for (int i = 0; i < 25; i++) {
      active(TenantId.of("bulk-" + i));
    }
    WorkRunner a = instance("a");
    drain(a);
    assertThat(planned).hasSize(25);
    assertThat(planned.values()).allMatch(n -> n.get() == 1);
  }

  @Test
  void aTenantErasedWhileItsPageIsPlannedDoesNotHoldBackTheOthers() {
    List<TenantId> tenants = List.of(TenantId.of("t0"), failing, TenantId.of("t2"));
    tenants.forEach(this::waiting);
    page = 10;
    WorkRunner a = instance("a");
    eraseWhilePlanning.set(true);
    drain(a); // one page of three, no time passing: no retry
    assertThat(machine.find(TenantId.of("t0")).orElseThrow().state())
        .isEqualTo(OnboardingState.ACTIVE);
    assertThat(machine.find(TenantId.of("t2")).orElseThrow().state())
        .as("the tenant after the erased one is placed in the same run")
        .isEqualTo(OnboardingState.ACTIVE);
    assertThat(machine.find(failing)).isEmpty();
  }
}
