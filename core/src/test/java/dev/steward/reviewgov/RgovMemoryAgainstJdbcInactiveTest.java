package dev.steward.reviewgov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceListener;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Granularity;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricsKey;
import dev.steward.jdbc.JdbcGovernanceMetricsStore;
import dev.steward.jdbc.TestDatabases;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The listener's per-event inactive read on the in-memory store against its batched read on the
 * JDBC store (H2), fed the same batches: an address PROCESSED twice in a batch, opened then
 * processed, processed later-first; times on a grid of 0, 1 ns, 999,999,999 ns and 1 s past the
 * day, so that {@code at - period} lands exactly on earlier sends and opens. The counts, the
 * inactive ones above all, must agree after every batch; the batches are LinkedLists.
 */
class RgovMemoryAgainstJdbcInactiveTest {
  private static final TestDatabases DB = TestDatabases.h2(RgovMemoryAgainstJdbcInactiveTest.class);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration PERIOD = Duration.ofDays(30);
  private static final long[] OFFSETS = {0, 1, 999_999_999, 1_000_000_000};

  @Test
  void perEventAndBatchedReadsCountTheSameInactiveSends() {
    DB.clear();
    InMemoryGovernanceMetricsStore memory = InMemoryGovernanceMetricsStore.of();
    GovernanceMetricsStore jdbc = JdbcGovernanceMetricsStore.of(DB.dataSource());
    GovernanceListener onMemory = GovernanceListener.builder(memory).inactiveAfter(PERIOD).build();
    GovernanceListener onJdbc = GovernanceListener.builder(jdbc).inactiveAfter(PERIOD).build();
    TenantId[] tenants = {TenantId.of("a"), TenantId.of("b")};
    SplittableRandom random = new SplittableRandom(7);
    long inactive = 0;
    int id = 0;
    for (int batch = 0; batch < 30; batch++) {
      // every 10 days, so that 30 days back lands exactly on the batch three before
      Instant day = T0.plus(Duration.ofDays(10L * batch));
      List<EmailEvent> events = new LinkedList<>();
      for (int i = 0; i < 40; i++) {
        int r = random.nextInt(10);
        EmailEventType type =
            r < 6 ? EmailEventType.PROCESSED : r < 8 ? EmailEventType.OPEN : EmailEventType.CLICK;
        Instant at = day.plusNanos(OFFSETS[random.nextInt(OFFSETS.length)]);
        events.add(
            EmailEvent.builder("e" + id++, type, at)
                .tenant(tenants[random.nextInt(tenants.length)])
                .email("r" + random.nextInt(5) + "@x.example")
                .build());
      }
      onMemory.onEvents(events);
      onJdbc.onEvents(events);
      Instant to = day.plus(Duration.ofDays(1));
      for (TenantId t : tenants) {
        MetricCounts m = memory.counts(MetricsKey.of(t), Granularity.DAY, day, to);
        MetricCounts j = jdbc.counts(MetricsKey.of(t), Granularity.DAY, day, to);
        assertThat(m).as("tenant %s batch %d", t, batch).isEqualTo(j);
        inactive += m.sentToInactive();
        List<EmailAddress> all = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
          all.add(EmailAddress.of("r" + k + "@x.example"));
        }
        assertThat(memory.activity(t, all)).isEqualTo(jdbc.activity(t, all));
      }
    }
    assertThat(inactive).isPositive();
  }
}
