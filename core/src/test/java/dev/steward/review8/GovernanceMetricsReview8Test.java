package dev.steward.review8;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.Counter;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Granularity;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.Increment;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricsKey;
import dev.steward.jdbc.JdbcGovernanceMetricsStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Hostile review of the governance metrics stores. */
class GovernanceMetricsReview8Test {
  private static final Instant NOW = Instant.parse("2026-03-02T10:15:00Z");
  private static final TenantId T = TenantId.of("t1");

  private static MetricCounts day(GovernanceMetricsStore s, Instant at) {
    Instant d = Granularity.DAY.start(at);
    return s.counts(MetricsKey.of(T), Granularity.DAY, d, d.plus(Duration.ofDays(1)));
  }

  private static GovernanceMetricsStore h2(String name) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review8" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
    StewardSchema.bootstrap(ds);
    return JdbcGovernanceMetricsStore.of(ds);
  }

  /**
   * DEFECT: the in-memory event marks keep one day per slot of a 16-day ring, and a slot held by a
   * newer day refuses every older day ("too old"). One event dated 16 days in the future (a
   * provider's clock skew, a forged webhook) takes the slot of today, and from then on every real
   * event of today is silently dropped as if it were a duplicate. Correct: today's events still
   * count (or the future-dated event is refused); the JDBC store counts them.
   */
  @Test
  void aSingleEventDatedSixteenDaysAheadMustNotSilenceTodaysCounting() {
    GovernanceMetricsStore s = InMemoryGovernanceMetricsStore.of();
    s.add(List.of(Increment.of(T, "future", Counter.DELIVERED, NOW.plus(Duration.ofDays(16)))));
    int counted = s.add(List.of(Increment.of(T, "today", Counter.DELIVERED, NOW)));
    assertThat(counted).as("today's event counted").isEqualTo(1);
    assertThat(day(s, NOW).delivered()).isEqualTo(1);
  }

  /**
   * DEFECT: the in-memory daily ring has 10 slots; an event dated 10 days ahead takes today's slot,
   * and every later event of today is then discarded from the daily buckets ("older than the ring
   * keeps") although add() reports it as counted. Correct: today's daily counts keep today's
   * events, as the JDBC store does.
   */
  @Test
  void anEventDatedTenDaysAheadMustNotEraseTodaysDailyBucket() {
    GovernanceMetricsStore mem = InMemoryGovernanceMetricsStore.of();
    GovernanceMetricsStore jdbc = h2("tenDays");
    for (GovernanceMetricsStore s : List.of(mem, jdbc)) {
      s.add(List.of(Increment.of(T, "today-1", Counter.DELIVERED, NOW)));
      s.add(List.of(Increment.of(T, "future", Counter.DELIVERED, NOW.plus(Duration.ofDays(10)))));
      s.add(List.of(Increment.of(T, "today-2", Counter.DELIVERED, NOW)));
    }
    assertThat(day(jdbc, NOW).delivered()).isEqualTo(2);
    assertThat(day(mem, NOW).delivered()).as("memory agrees with JDBC").isEqualTo(2);
  }

  /**
   * DEFECT: memory and JDBC disagree after a tenant's erasure. JDBC deletes the tenant's event
   * marks, memory keeps them ("they age out with their day"), so a late replay of an event that was
   * counted before the erasure counts again in JDBC and not in memory. Correct: both stores give
   * the same answer (one contract).
   */
  @Test
  void memoryAndJdbcAgreeOnAReplayAfterErasure() {
    GovernanceMetricsStore mem = InMemoryGovernanceMetricsStore.of();
    GovernanceMetricsStore jdbc = h2("erase");
    int[] replayed = new int[2];
    int k = 0;
    for (GovernanceMetricsStore s : List.of(mem, jdbc)) {
      s.add(List.of(Increment.of(T, "e1", Counter.DELIVERED, NOW)));
      s.eraseTenant(T);
      replayed[k++] = s.add(List.of(Increment.of(T, "e1", Counter.DELIVERED, NOW)));
    }
    assertThat(replayed[0]).as("memory's answer equals JDBC's").isEqualTo(replayed[1]);
    assertThat(day(mem, NOW)).isEqualTo(day(jdbc, NOW));
  }

  /**
   * DEFECT: memory marks an event id per (tenant, event id, UTC day of its time), JDBC per (tenant,
   * event id). A replay of one event id with another timestamp (a provider resending a batch with
   * the time it resent, or a clock-skewed second instance) counts twice in memory and once in JDBC,
   * so the same feed gives different rates, and different ladder decisions, by store. Correct: both
   * count it once (the contract says a repeat of an event id counts nothing).
   */
  @Test
  void aReplayOfAnEventIdWithAnotherDayCountsOnceInBothStores() {
    GovernanceMetricsStore mem = InMemoryGovernanceMetricsStore.of();
    GovernanceMetricsStore jdbc = h2("replayDay");
    int[] replayed = new int[2];
    int k = 0;
    for (GovernanceMetricsStore s : List.of(mem, jdbc)) {
      s.add(List.of(Increment.of(T, "e1", Counter.SPAM_REPORT, NOW)));
      replayed[k++] =
          s.add(List.of(Increment.of(T, "e1", Counter.SPAM_REPORT, NOW.plus(Duration.ofDays(1)))));
    }
    assertThat(replayed[1]).as("JDBC").isZero();
    assertThat(replayed[0]).as("memory counts the replay again").isZero();
  }
}
