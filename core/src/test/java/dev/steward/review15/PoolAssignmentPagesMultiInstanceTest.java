package dev.steward.review15;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpPoolStrategy;
import dev.steward.ippool.TierConfig;
import dev.steward.jdbc.JdbcStores;
import dev.steward.jdbc.TestDatabases;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.Verdict;
import dev.steward.testing.Concurrently;
import dev.steward.testing.InMemoryIpPoolAdmin;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three instances over one PostgreSQL share the pool job's pages (two tenants a page, eleven
 * tenants, some waiting for their pools): every tenant is planned once per period, whichever
 * instance takes each page, and each waiting tenant moves to ACTIVE once.
 */
class PoolAssignmentPagesMultiInstanceTest {
  private static final Actor RULE = Actor.rule("test");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-10-25T00:30:00Z"));

  private void into(OnboardingStateMachine m, TenantId t, boolean placed) {
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
    if (placed) {
      m.transition(t, OnboardingState.ACTIVE, RULE, "placed by hand");
    }
  }

  @Test
  void threeInstancesPlanEveryTenantOncePerPeriodPageByPage() {
    TestDatabases db = TestDatabases.postgres();
    db.clear();
    Map<TenantId, AtomicInteger> plans = new ConcurrentHashMap<>();
    IpPoolStrategy tiered = IpPoolStrategy.tiered();
    IpPoolStrategy counting =
        view -> {
          plans.computeIfAbsent(view.tenant(), t -> new AtomicInteger()).incrementAndGet();
          return tiered.propose(view);
        };
    InMemoryIpPoolAdmin provider =
        InMemoryIpPoolAdmin.of(clock)
            .registerReadyIp("192.0.2.10", "mta1.isv.example")
            .registerReadyIp("192.0.2.11", "mta2.isv.example");
    provider.createPool(TierConfig.DEFAULT_WARMUP_POOL);
    provider.addIp(TierConfig.DEFAULT_WARMUP_POOL, IpAddress.of("192.0.2.10"));
    provider.createPool(TierConfig.DEFAULT_STANDARD_POOL);
    provider.addIp(TierConfig.DEFAULT_STANDARD_POOL, IpAddress.of("192.0.2.11"));
    List<Steward> instances = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      instances.add(
          Steward.builder(clock)
              .stores(JdbcStores.of(db.dataSource()))
              .transport(RecordingTransport.of())
              .ipPoolAssignment(counting, provider, j -> j.page(2))
              .build());
    }
    OnboardingStateMachine m = instances.get(0).onboarding().orElseThrow();
    List<TenantId> tenants = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      TenantId t = TenantId.of("tenant-" + i);
      into(m, t, i % 3 != 0);
      tenants.add(t);
    }

    for (int period = 0; period < 2; period++) {
      for (int round = 0; round < 20; round++) {
        Concurrently.run(3, i -> instances.get(i).runDue());
      }
      for (TenantId t : tenants) {
        assertThat(plans.get(t)).as("plans of %s", t).isNotNull();
        assertThat(plans.get(t).get())
            .as("plans of %s after period %d", t, period)
            .isEqualTo(period + 1);
      }
      clock.advance(Duration.ofHours(1));
    }
    for (TenantId t : tenants) {
      assertThat(m.find(t).orElseThrow().state()).isEqualTo(OnboardingState.ACTIVE);
    }
  }
}
