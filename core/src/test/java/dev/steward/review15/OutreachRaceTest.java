package dev.steward.review15;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.jdbc.JdbcStores;
import dev.steward.jdbc.TestDatabases;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.OutreachFlag;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.Verdict;
import dev.steward.testing.Concurrently;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several instances over one database flag the same tenant at once: the episode is told, with one
 * notice id, and an erasure in the middle of it leaves nothing to tell. Tenant ids at their longest
 * and in other scripts travel in the notice's payload.
 */
class OutreachRaceTest {
  private static final Actor RULE = Actor.rule("test");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-29T00:30:00Z"));

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

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "h2"})
  void fourInstancesFlaggingOneTenantAtOnceTellOneNotice(String db) {
    TestDatabases database =
        db.equals("postgres") ? TestDatabases.postgres() : TestDatabases.h2(OutreachRaceTest.class);
    database.clear();
    List<OutreachFlag> heard = new CopyOnWriteArrayList<>();
    List<Steward> instances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      instances.add(
          Steward.builder(clock)
              .stores(JdbcStores.of(database.dataSource()))
              .transport(RecordingTransport.of())
              .outreach(o -> o.listener(heard::add))
              .build());
    }
    // the longest tenant id, in scripts other than Latin, with a character outside the BMP
    String base = "租户-Ωμέγα-😀-";
    TenantId tenant = TenantId.of(base + "x".repeat(200 - base.length()));
    OnboardingStateMachine m = instances.get(0).onboarding().orElseThrow();
    active(m, tenant);

    Concurrently.run(
        4, i -> instances.get(i).governance().warn(tenant, "warning seen by instance " + i));
    for (int round = 0; round < 5; round++) {
      Concurrently.run(4, i -> instances.get(i).runDue());
      clock.advance(Duration.ofMinutes(1));
    }

    assertThat(m.find(tenant).orElseThrow().state()).isEqualTo(OnboardingState.OUTREACH);
    assertThat(heard.stream().map(OutreachFlag::noticeId).distinct())
        .as("one episode, one notice id")
        .hasSize(1);
    assertThat(heard).as("told once: no listener failed").hasSize(1);
    assertThat(heard.get(0).tenant()).isEqualTo(tenant);
    assertThat(heard.get(0).noticeId()).startsWith(tenant.value() + "/outreach-");
  }
}
