package dev.steward.ippool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Level;
import dev.steward.governance.MetricWindow;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planner reads governance and onboarding as they are, and orders the plan's moves. */
class PoolPlannerTest {
  private static final Instant NOW = Instant.parse("2026-03-20T23:30:00Z");
  private final SettableClock clock = SettableClock.of(NOW);
  private final InMemoryStandingStore standings = InMemoryStandingStore.of();
  private final InMemoryOnboardingStore onboarding = InMemoryOnboardingStore.of();

  private PoolPlanner planner(IpPoolStrategy strategy) {
    return PoolPlanner.builder(
            strategy,
            InMemoryPoolAssignmentStore.of(),
            InMemoryGovernanceMetricsStore.of(),
            standings,
            clock)
        .onboarding(onboarding)
        .build();
  }

  private static PoolMove move(String tenant, Tier tier) {
    return new PoolMove(
        TenantId.of(tenant),
        Stream.MARKETING,
        Optional.empty(),
        PoolName.of("pool-" + tier.name().toLowerCase(java.util.Locale.ROOT)),
        tier,
        0,
        MoveReason.of(MoveReason.Cause.MANUAL, "test"));
  }

  @Test
  void quarantineComesFirstThenGoodSendersSeedThePremiumPool() {
    Map<String, Tier> tiers =
        Map.of(
            "a",
            Tier.STANDARD,
            "b",
            Tier.WARMUP,
            "c",
            Tier.PREMIUM,
            "d",
            Tier.QUARANTINE,
            "e",
            Tier.PREMIUM);
    PoolPlanner p = planner(v -> List.of(move(v.tenant().value(), tiers.get(v.tenant().value()))));

    PoolPlan plan = p.plan(List.of("a", "b", "c", "d", "e").stream().map(TenantId::of).toList());

    assertThat(plan.moves())
        .extracting(m -> m.tenant().value())
        .containsExactly("d", "c", "e", "a", "b");
  }

  @Test
  void aStrategyMayNotMoveAnotherTenant() {
    PoolPlanner p = planner(v -> List.of(move("someone-else", Tier.STANDARD)));
    assertThatThrownBy(() -> p.plan(List.of(TenantId.of("a"))))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("someone-else when asked about a");
  }

  @Test
  void theViewHoldsGovernancesStandingAndOnboardingsState() {
    TenantId t = TenantId.of("t");
    onboarding.insert(
        new OnboardingRecord(
            t,
            OnboardingState.PILOT,
            1,
            Actor.rule("test"),
            NOW.minusSeconds(3600),
            Map.of(OnboardingState.PILOT, NOW.minusSeconds(3600)),
            List.of(),
            List.of(),
            Optional.empty()));
    PoolPlanner p = planner(IpPoolStrategy.tiered());

    TenantView fresh = p.view(t);
    assertThat(fresh.onboarding()).contains(OnboardingState.PILOT);
    assertThat(fresh.standing().level()).isEqualTo(Level.NONE);
    // never judged: clean since it was enrolled
    assertThat(fresh.cleanSince()).contains(NOW.minusSeconds(3600));
    assertThat(fresh.readings())
        .extracting(r -> r.window())
        .containsExactly(MetricWindow.SEVEN_DAYS, MetricWindow.SPIKE_24H);
    assertThat(fresh.readings()).allSatisfy(r -> assertThat(r.sufficient()).isFalse());

    standings.update(
        t,
        NOW,
        s ->
            new dev.steward.governance.Standing(
                t,
                Level.WARN,
                NOW,
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                List.of()));
    assertThat(p.view(t).cleanSince()).isEmpty();
    assertThat(p.plan(List.of(t)).moves())
        .extracting(PoolMove::stream, PoolMove::tier)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Stream.TRANSACTIONAL, Tier.WARMUP),
            org.assertj.core.groups.Tuple.tuple(Stream.MARKETING, Tier.WARMUP));
  }
}
