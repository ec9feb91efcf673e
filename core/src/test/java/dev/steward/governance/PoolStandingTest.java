package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A pool's own standing: every tenant's mail through it, on the tenants' ladder. */
class PoolStandingTest {
  private static final Instant NOW = Instant.parse("2026-05-04T12:00:00Z");
  private final SettableClock clock = SettableClock.of(NOW);
  private final InMemoryGovernanceMetricsStore metrics = InMemoryGovernanceMetricsStore.of();
  private final GovernanceEvaluator evaluator =
      GovernanceEvaluator.builder(metrics, InMemoryStandingStore.of(), clock).build();
  private int seq;

  private void send(TenantId t, String pool, int delivered, int spam) {
    List<Increment> out = new ArrayList<>();
    for (int i = 0; i < delivered; i++) {
      out.add(new Increment(t, "p" + (++seq), Optional.of(pool), Counter.PROCESSED, false, NOW));
      out.add(new Increment(t, "d" + (++seq), Optional.of(pool), Counter.DELIVERED, false, NOW));
    }
    for (int i = 0; i < spam; i++) {
      out.add(new Increment(t, "s" + (++seq), Optional.of(pool), Counter.SPAM_REPORT, false, NOW));
    }
    metrics.add(out);
  }

  @Test
  void belowTheMinimumVolumeAPoolHasInsufficientDataAndNoLevel() {
    send(TenantId.of("a"), "shared", 150, 10);
    PoolStanding s = evaluator.poolStanding("shared");
    assertThat(s.insufficientData()).isTrue();
    assertThat(s.level()).isEqualTo(Level.NONE);
    assertThat(s.breaches()).isEmpty();
    assertThat(s.explanation()).contains("pool shared: insufficient data (150 delivered");
  }

  @Test
  void aPoolIsJudgedOnItsTenantsMailTogetherWithMetricValueThresholdAndWindow() {
    // two tenants through one pool: 3 complaints in 2,000 delivered, 0.15% (restrict)
    send(TenantId.of("a"), "shared", 1_000, 3);
    send(TenantId.of("b"), "shared", 1_000, 0);
    // another pool's mail is not the pool's
    send(TenantId.of("c"), "other", 1_000, 10);
    PoolStanding s = evaluator.poolStanding("shared");
    assertThat(s.insufficientData()).isFalse();
    assertThat(s.level()).isEqualTo(Level.RESTRICT);
    assertThat(s.breaches().get(0).metric()).isEqualTo(GovernanceMetric.SPAM_RATE);
    assertThat(s.explanation())
        .contains("pool shared restrict")
        .contains("spam-rate 0.15% (3 of 2000 delivered) over 7d reached the restrict threshold")
        .contains("over 24h");
    assertThat(evaluator.poolStanding("other").level()).isEqualTo(Level.SUSPEND);
    // nothing is stored for a pool: the tenants' standings are untouched
    assertThat(evaluator.standing(TenantId.of("a")).level()).isEqualTo(Level.NONE);
  }

  @Test
  void aBadPoolNameIsRefusedByName() {
    assertThatThrownBy(() -> evaluator.poolStanding(""))
        .isInstanceOf(InvalidGovernanceException.class)
        .hasMessageContaining("pool name");
    assertThatThrownBy(() -> evaluator.poolStanding(null))
        .isInstanceOf(InvalidGovernanceException.class);
  }
}
