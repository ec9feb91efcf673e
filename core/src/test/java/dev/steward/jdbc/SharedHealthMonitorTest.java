package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.HealthBandChanged;
import dev.steward.health.HealthInputs;
import dev.steward.health.HealthListener;
import dev.steward.health.HealthMonitor;
import dev.steward.health.HealthScore;
import dev.steward.health.HealthScoreCalculator;
import dev.steward.health.Mapping;
import dev.steward.health.Measure;
import dev.steward.health.Scorecard;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Health monitors in two application instances sharing one PostgreSQL database confirm band changes
 * as one monitor would: same events, same order, none twice, none lost.
 */
class SharedHealthMonitorTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId T1 = TenantId.of("t1");
  private static final Instant T0 = Instant.parse("2026-04-06T07:00:00Z");
  private static final Scorecard CARD =
      Scorecard.builder("shared").measure(Measure.of("x", 1, Mapping.linear(0, 100))).build();

  @BeforeEach
  void clear() {
    DB.clear();
  }

  private static HealthScore score(double value, int day) {
    Instant at = T0.plus(Duration.ofDays(day));
    return HealthScoreCalculator.score(
        CARD, HealthInputs.builder().put("x", value, at).build(), at);
  }

  /** Records events as "account from->to day". */
  private static HealthListener recorder(List<String> into) {
    return new HealthListener() {
      @Override
      public void onBandChanged(HealthBandChanged e) {
        into.add(e.account() + " " + e.from() + "->" + e.to() + " " + e.at());
      }
    };
  }

  private static HealthMonitor shared(List<String> events) {
    return HealthMonitor.colours()
        .minConsecutive(3)
        .state(JdbcHealthBandStateStore.of(DB.dataSource(), "colours"))
        .listener(recorder(events))
        .build();
  }

  @Test
  void twoInstancesAlternatingGiveTheAlertsOfOne() {
    List<String> alone = new ArrayList<>();
    HealthMonitor single =
        HealthMonitor.colours().minConsecutive(3).listener(recorder(alone)).build();
    List<String> together = new ArrayList<>();
    HealthMonitor[] instances = {shared(together), shared(together)};
    List<AccountId> accounts =
        List.of(AccountId.of("acme"), AccountId.of("beta"), AccountId.of("gamma"));
    Random random = new Random(7);

    int evaluation = 0;
    for (int day = 0; day < 60; day++) {
      for (AccountId account : accounts) {
        // a random walk that crosses the 35/45 and 65/75 boundaries now and then
        double value =
            50 + 45 * Math.sin(day / 6.0 + account.value().length()) + random.nextGaussian() * 8;
        HealthScore s = score(Math.max(0, Math.min(100, value)), day);
        single.evaluate(T1, account, s);
        instances[evaluation++ % 2].evaluate(T1, account, s);
      }
    }

    assertThat(alone).hasSizeGreaterThan(5);
    assertThat(together).isEqualTo(alone);
    for (AccountId account : accounts) {
      assertThat(instances[0].bandOf(T1, account)).isEqualTo(single.bandOf(T1, account));
      assertThat(instances[1].bandOf(T1, account)).isEqualTo(single.bandOf(T1, account));
    }
  }

  @Test
  void concurrentEvaluationsOfOneAccountFireTheChangeExactlyOnce() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    AccountId acme = AccountId.of("acme");
    shared(events).evaluate(T1, acme, score(90, 0)); // placed in green

    int threads = 4;
    HealthMonitor[] monitors = new HealthMonitor[threads];
    for (int t = 0; t < threads; t++) {
      monitors[t] =
          HealthMonitor.colours()
              .minConsecutive(threads)
              .state(JdbcHealthBandStateStore.of(DB.dataSource(), "colours"))
              .listener(recorder(events))
              .build();
    }
    // each instance sees one red score at once: only if no count is lost does the run reach 4
    Concurrently.run(
        threads,
        t -> {
          monitors[t].evaluate(T1, acme, score(10, 1));
          return t;
        });

    assertThat(events).hasSize(1);
    assertThat(events.get(0)).startsWith("acme green->red");
    assertThat(monitors[0].bandOf(T1, acme)).contains("red");
  }
}
