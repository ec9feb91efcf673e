package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpPoolStrategy;
import dev.steward.ippool.PoolAssignmentJob;
import dev.steward.ippool.PoolChange;
import dev.steward.ippool.Stream;
import dev.steward.ippool.TierConfig;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.DnsBlocklist;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingRechecks;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.Verdict;
import dev.steward.testing.Concurrently;
import dev.steward.testing.InMemoryIpPoolAdmin;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import dev.steward.testing.StaticDnsResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two instances over one PostgreSQL, running their due work at the same time every three virtual
 * hours for two days: each tenant is re-checked once a day and the pool assignment job runs once
 * every six hours, whichever instance claims the work; every pool move is made once and the waiting
 * tenant moves to ACTIVE once.
 */
class OnboardingJobsMultiInstanceTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final Actor RULE = Actor.rule("test");
  private static final int HOURS = 48;
  private static final int STEP = 3;
  private static final int POOL_EVERY = 6;
  private static final List<TenantId> ACTIVE =
      List.of(TenantId.of("t0"), TenantId.of("t1"), TenantId.of("t2"), TenantId.of("t3"));
  private static final TenantId WAITING = TenantId.of("t4");
  private static final TenantId PILOT = TenantId.of("t5");

  private final SettableClock clock = SettableClock.of(Instant.parse("2026-05-04T06:00:00Z"));

  private void into(OnboardingStateMachine m, TenantId t, OnboardingState to) {
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
    if (to != OnboardingState.PILOT) {
      m.transition(t, OnboardingState.POOL_ASSIGNMENT, RULE, "graduated");
    }
    if (to == OnboardingState.ACTIVE) {
      m.transition(t, OnboardingState.ACTIVE, RULE, "placed by hand");
    }
  }

  @Test
  void twoInstancesRecheckEachTenantOnceADayAndRunThePoolJobOnceAnHour() {
    DB.clear();
    StaticDnsResolver dns = StaticDnsResolver.of();
    dns.set("t1.example.dbl.example.org", RecordType.A, "127.0.1.2"); // t1 stays listed
    Map<TenantId, AtomicInteger> proposals = new ConcurrentHashMap<>();
    IpPoolStrategy tiered = IpPoolStrategy.tiered();
    IpPoolStrategy counting =
        view -> {
          proposals.computeIfAbsent(view.tenant(), t -> new AtomicInteger()).incrementAndGet();
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
    for (int i = 0; i < 2; i++) {
      instances.add(
          Steward.builder(clock)
              .stores(JdbcStores.of(DB.dataSource()))
              .transport(RecordingTransport.of())
              .onboardingRechecks(
                  t -> Set.of(t.value() + ".example"),
                  r -> r.blocklists(dns, List.of(DnsBlocklist.of("dbl.example.org"))))
              .ipPoolAssignment(counting, provider, j -> j.every(Duration.ofHours(POOL_EVERY)))
              .build());
    }
    OnboardingStateMachine m = instances.get(0).onboarding().orElseThrow();
    ACTIVE.forEach(t -> into(m, t, OnboardingState.ACTIVE));
    into(m, WAITING, OnboardingState.POOL_ASSIGNMENT);
    into(m, PILOT, OnboardingState.PILOT);

    for (int h = 0; h <= HOURS; h += STEP) {
      Concurrently.run(
          2,
          i -> {
            Steward s = instances.get(i);
            int n = 0;
            for (int k = 0; k < 50 && s.runDue() > 0; k++) {
              n++;
            }
            return n;
          });
      if (h < HOURS) {
        clock.advance(Duration.ofHours(STEP));
      }
    }

    List<TenantId> all = new ArrayList<>(ACTIVE);
    all.add(WAITING);
    all.add(PILOT);
    for (TenantId t : all) {
      String query = t.value() + ".example.dbl.example.org A";
      assertThat(dns.asked().stream().filter(query::equals).count())
          .as("re-checks of %s: one a day for two days", t)
          .isEqualTo(2);
      assertThat(proposals.get(t).get())
          .as("pool plans of %s: one every %d hours, hours 0 to %d", t, POOL_EVERY, HOURS)
          .isEqualTo(HOURS / POOL_EVERY + 1);
      for (Stream s : Stream.values()) {
        assertThat(
                instances.get(1).stores().poolAssignments().changes(t, 10).stream()
                    .filter(c -> c.stream() == s)
                    .map(PoolChange::version))
            .as("%s %s moved once", t, s)
            .containsExactly(1L);
      }
    }
    assertThat(provider.calls().stream().filter(c -> c.startsWith("assignTenant")).count())
        .isEqualTo(all.size() * Stream.values().length);
    OnboardingRecord t1 = m.find(TenantId.of("t1")).orElseThrow();
    assertThat(
            t1.verdicts().stream()
                .filter(v -> v.by().equals(OnboardingRechecks.RECHECK_RULE))
                .map(PhaseVerdict::verdict))
        .containsExactly(Verdict.FAIL, Verdict.FAIL);
    assertThat(
            instances.get(1).governance().standing(TenantId.of("t1")).history().stream()
                .filter(c -> c.explanation().contains("re-check of blocklists")))
        .hasSize(2);
    OnboardingRecord waiting = m.find(WAITING).orElseThrow();
    assertThat(waiting.state()).isEqualTo(OnboardingState.ACTIVE);
    assertThat(waiting.transitions().stream().filter(tr -> tr.by().equals(PoolAssignmentJob.RULE)))
        .hasSize(1);
    assertThat(m.find(PILOT).orElseThrow().state()).isEqualTo(OnboardingState.PILOT);
  }
}
