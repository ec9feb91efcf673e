package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retention keeps what the windows read and purges older buckets and marks. */
class GovernanceRetentionTest {
  private static final Instant NOW = Instant.parse("2026-03-20T12:00:00Z");
  private static final TenantId T = TenantId.of("t");

  @Test
  void purgesBucketsAndMarksPastTheirRetentionOnly() {
    InMemoryGovernanceMetricsStore store = InMemoryGovernanceMetricsStore.of();
    store.add(
        List.of(
            Increment.of(T, "recent", Counter.DELIVERED, NOW.minus(Duration.ofHours(5))),
            Increment.of(T, "week", Counter.DELIVERED, NOW.minus(Duration.ofHours(6 * 24 + 3))),
            Increment.of(T, "old", Counter.DELIVERED, NOW.minus(Duration.ofHours(9 * 24 + 1)))));
    GovernanceRetention r = GovernanceRetention.of(store, SettableClock.of(NOW));
    int purged = r.purge(1000);
    // the hour buckets of "week" and "old", and the marks of the day of "old"; their day buckets
    // stay
    assertThat(purged).isEqualTo(3);
    assertThat(MetricWindow.SEVEN_DAYS.read(store, MetricsKey.of(T), NOW).delivered()).isEqualTo(2);
    assertThat(MetricWindow.SPIKE_24H.read(store, MetricsKey.of(T), NOW).delivered()).isEqualTo(1);
    assertThat(
            store.add(
                Increment.of(
                    T, "week", Counter.DELIVERED, NOW.minus(Duration.ofHours(6 * 24 + 3)))))
        .isFalse();
    assertThat(r.purge(1000)).isZero();
  }
}
