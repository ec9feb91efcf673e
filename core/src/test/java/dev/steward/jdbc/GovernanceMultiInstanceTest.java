package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceDecision;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.GovernanceWorld;
import dev.steward.governance.GovernanceWorld.Mix;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Ladder;
import dev.steward.governance.Level;
import dev.steward.governance.MetricWindow;
import dev.steward.governance.MetricsKey;
import dev.steward.governance.StandingStore;
import dev.steward.model.TenantId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two instances over one PostgreSQL, the events of each hour going to one or the other and the
 * daily evaluation alternating between them, reach the same ladder decisions, with the same
 * explanations, as one instance in memory.
 */
class GovernanceMultiInstanceTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId ACME = TenantId.of("acme");

  private static List<String> run(GovernanceWorld w) {
    List<Mix> plan = new ArrayList<>();
    plan.add(Mix.clean(400));
    plan.add(Mix.clean(400));
    plan.add(new Mix(400, 0, 28, 0)); // 6.5% hard bounces: quarantine
    for (int i = 0; i < 9; i++) {
      plan.add(Mix.clean(400));
    }
    plan.add(new Mix(400, 2, 0, 3)); // 0.5% spam: suspend
    List<String> out = new ArrayList<>();
    for (Mix m : plan) {
      GovernanceDecision d = w.sendDay(m);
      out.add(d.level() + " " + d.cause() + " " + d.explanation());
    }
    return out;
  }

  @Test
  void twoInstancesOverOnePostgresDecideAsOneInstanceDoes() {
    DB.clear();
    List<GovernanceMetricsStore> metrics =
        List.of(
            JdbcGovernanceMetricsStore.of(DB.dataSource()),
            JdbcGovernanceMetricsStore.of(DB.dataSource()));
    List<StandingStore> standings =
        List.of(JdbcStandingStore.of(DB.dataSource()), JdbcStandingStore.of(DB.dataSource()));
    GovernanceWorld shared = GovernanceWorld.of(ACME, Ladder.ofDefaults(), metrics, standings);
    GovernanceWorld single =
        GovernanceWorld.of(
            ACME,
            Ladder.ofDefaults(),
            List.of(InMemoryGovernanceMetricsStore.of()),
            List.of(InMemoryStandingStore.of()));

    List<String> two = run(shared);
    List<String> one = run(single);

    assertThat(two).containsExactlyElementsOf(one);
    assertThat(shared.levels())
        .contains(Level.NONE, Level.QUARANTINE, Level.RESTRICT, Level.SUSPEND);
    assertThat(shared.changes)
        .extracting(c -> c.to())
        .containsExactlyElementsOf(single.changes.stream().map(c -> c.to()).toList());
    for (MetricWindow w : MetricWindow.values()) {
      assertThat(w.read(metrics.get(0), MetricsKey.of(ACME), shared.clock.instant()))
          .isEqualTo(
              w.read(
                  single.instances.get(0).metrics(), MetricsKey.of(ACME), single.clock.instant()));
    }
    // both instances read the one standing
    assertThat(standings.get(0).find(ACME)).isEqualTo(standings.get(1).find(ACME));
    assertThat(standings.get(0).find(ACME).get().level()).isEqualTo(Level.SUSPEND);
  }
}
