package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.ippool.ApplyResult;
import dev.steward.ippool.ApplyResult.Status;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpPoolStrategy;
import dev.steward.ippool.PoolChange;
import dev.steward.ippool.PoolPlan;
import dev.steward.ippool.PoolPlanApplier;
import dev.steward.ippool.PoolPlanner;
import dev.steward.ippool.Stream;
import dev.steward.ippool.Tier;
import dev.steward.ippool.TierConfig;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import dev.steward.testing.InMemoryIpPoolAdmin;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Two application instances over one PostgreSQL database plan the same moves from the same data and
 * apply the same plan at once: every move is recorded once, the audit holds no duplicate.
 */
class JdbcIpPoolMultiInstanceTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final Instant NOW = Instant.parse("2026-04-20T23:30:00Z");
  private static final int TENANTS = 30;

  private static final class Instance {
    final PoolPlanner planner;
    final PoolPlanApplier applier;

    Instance(DataSource ds, InMemoryIpPoolAdmin provider, SettableClock clock) {
      JdbcPoolAssignmentStore assignments = JdbcPoolAssignmentStore.of(ds);
      planner =
          PoolPlanner.builder(
                  IpPoolStrategy.tiered(),
                  assignments,
                  JdbcGovernanceMetricsStore.of(ds),
                  JdbcStandingStore.of(ds),
                  clock)
              .build();
      applier = PoolPlanApplier.builder(provider, assignments, clock).build();
    }
  }

  @Test
  void twoInstancesApplyingTheSamePlanAtOnceRecordEachMoveOnce() {
    DB.clear();
    SettableClock clock = SettableClock.of(NOW);
    InMemoryIpPoolAdmin provider = InMemoryIpPoolAdmin.of(clock);
    List<Instance> instances =
        List.of(
            new Instance(DB.dataSource(), provider, clock),
            new Instance(DB.dataSource(), provider, clock));
    provider.registerReadyIp("192.0.2.1", "o1.example.com");
    instances
        .get(0)
        .applier
        .addIp(
            TierConfig.ofDefaults().pool(Tier.STANDARD, Stream.MARKETING),
            IpAddress.of("192.0.2.1"));
    List<TenantId> tenants = new ArrayList<>();
    for (int i = 0; i < TENANTS; i++) {
      tenants.add(TenantId.of("tenant-" + i));
    }

    PoolPlan first = instances.get(0).planner.plan(tenants);
    PoolPlan second = instances.get(1).planner.plan(tenants);
    assertThat(first.moves()).hasSize(TENANTS * 2);
    assertThat(second.id()).isEqualTo(first.id());

    List<ApplyResult> results = Concurrently.run(2, i -> instances.get(i).applier.apply(first));

    assertThat(results).allSatisfy(r -> assertThat(r.complete()).isTrue());
    long applied = results.stream().mapToLong(r -> r.count(Status.APPLIED)).sum();
    assertThat(applied).isEqualTo(TENANTS * 2L);
    JdbcPoolAssignmentStore store = JdbcPoolAssignmentStore.of(DB.dataSource());
    for (TenantId t : tenants) {
      List<PoolChange> audit = store.changes(t, 10);
      assertThat(audit).as("audit of %s", t).hasSize(2);
      assertThat(audit).extracting(PoolChange::planId).containsOnly(first.id());
    }
    // and a plan made now proposes nothing more for the tenants just placed (dwell, same tier)
    assertThat(instances.get(1).planner.plan(tenants).moves()).isEmpty();
  }
}
