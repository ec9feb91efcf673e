package dev.steward.ippool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.Counter;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Increment;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a premium pool is warned, its worst tenants are planned out first, the others stay. */
class PoolLeavingOrderTest {
  private static final Instant NOW = Instant.parse("2026-06-01T23:30:00Z");
  private static final PoolName PREMIUM =
      TierConfig.ofDefaults().pool(Tier.PREMIUM, Stream.MARKETING);

  @Test
  void theTenantsRaisingAWarnedPoolArePlannedOutWorstFirst() {
    SettableClock clock = SettableClock.of(NOW);
    InMemoryGovernanceMetricsStore metrics = InMemoryGovernanceMetricsStore.of();
    InMemoryPoolAssignmentStore assignments = InMemoryPoolAssignmentStore.of();
    // four tenants of 1,000 a day through the premium pool, each with clean transactional mail
    // (10,000) that keeps its own rates low; complaints: 0, 1, 3, 5 (pool: 9 in 4,000, 0.225%)
    List<TenantId> tenants = new ArrayList<>();
    int[] spam = {0, 1, 5, 3};
    int seq = 0;
    Instant noon = NOW.minus(Duration.ofHours(11));
    for (int i = 0; i < spam.length; i++) {
      TenantId t = TenantId.of("t" + i);
      tenants.add(t);
      List<Increment> inc = new ArrayList<>();
      for (int k = 0; k < 1_000; k++) {
        for (Counter c : List.of(Counter.PROCESSED, Counter.DELIVERED)) {
          inc.add(new Increment(t, "m" + (++seq), Optional.of(PREMIUM.value()), c, false, noon));
        }
      }
      for (int k = 0; k < 10_000; k++) {
        for (Counter c : List.of(Counter.PROCESSED, Counter.DELIVERED)) {
          inc.add(new Increment(t, "x" + (++seq), Optional.empty(), c, false, noon));
        }
      }
      for (int k = 0; k < spam[i]; k++) {
        inc.add(
            new Increment(
                t, "s" + (++seq), Optional.of(PREMIUM.value()), Counter.SPAM_REPORT, false, noon));
      }
      metrics.add(inc);
      assignments.apply(
          new PoolChange(
              t,
              Stream.MARKETING,
              1,
              Optional.empty(),
              PREMIUM,
              Tier.PREMIUM,
              MoveReason.of(MoveReason.Cause.MANUAL, "seeded"),
              "seed",
              NOW.minus(Duration.ofDays(30))));
    }
    PoolPlanner planner =
        PoolPlanner.builder(
                IpPoolStrategy.tiered(), assignments, metrics, InMemoryStandingStore.of(), clock)
            .streams(java.util.Set.of(Stream.MARKETING))
            .build();

    PoolPlan plan = planner.plan(tenants);

    // t2 (0.5%) and t3 (0.3%) are at or above the pool's 0.225%; t1 (0.1%) and t0 stay
    assertThat(plan.moves())
        .extracting(PoolMove::tenant)
        .containsExactly(tenants.get(2), tenants.get(3));
    assertThat(plan.moves()).allSatisfy(m -> assertThat(m.tier()).isEqualTo(Tier.STANDARD));
    assertThat(plan.moves().get(0).reason().explanation())
        .contains("pool " + PREMIUM + " stands at");
  }
}
