package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.JourneyFact;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyStepRef;
import dev.steward.journey.StepCount;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Journey counts kept in stripes (schema version 23): the facts of many subjects at one step spread
 * over several rows, so concurrent steps do not queue on one row's lock, and a count reads as the
 * sum of its stripes and of the row version 22 kept for it.
 */
class JourneyTallyStripesTest {
  private static final TenantId T1 = TenantId.of("t1");
  private static final JourneyStepRef WELCOME = new JourneyStepRef("onboarding", 1, "welcome");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  static Stream<TestDatabase> databases() {
    return Stream.of(TestDatabase.h2(JourneyTallyStripesTest.class), TestDatabase.postgres());
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aCountIsSpreadOverStripesAndReadAsTheirSumWithVersion22sRow(TestDatabase db)
      throws Exception {
    db.clear();
    JdbcJourneyAnalyticsStore store = JdbcJourneyAnalyticsStore.of(db.dataSource());
    for (int i = 0; i < 200; i++) {
      assertThat(
              store.record(
                  new JourneyFact(T1, "m" + i, WELCOME, JourneyMetric.SENT, Optional.empty(), T0)))
          .isTrue();
    }
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT COUNT(*), SUM(n) FROM steward_journey_tally WHERE metric = 'SENT'")) {
        rs.next();
        // 200 subjects over 16 stripes: every stripe is taken with near certainty, and at least
        // several rows are whatever the hash does
        assertThat(rs.getInt(1)).isGreaterThan(4).isLessThanOrEqualTo(16);
        assertThat(rs.getLong(2)).isEqualTo(200);
      }
      // a count kept by a version-22 library before the upgrade
      s.executeUpdate(
          "INSERT INTO steward_journey_count"
              + " (tenant_id, journey_id, version, step_id, metric, reason, n)"
              + " VALUES ('t1', 'onboarding', 1, 'welcome', 'SENT', '', 7)");
    }
    List<StepCount> counts = store.counts(T1, "onboarding", 1);
    assertThat(counts)
        .filteredOn(c -> c.metric() == JourneyMetric.SENT && c.reason().isEmpty())
        .singleElement()
        .satisfies(c -> assertThat(c.count()).isEqualTo(207));

    assertThat(store.eraseTenant(T1)).isEqualTo(200);
    assertThat(store.counts(T1, "onboarding", 1)).isEmpty();
  }
}
