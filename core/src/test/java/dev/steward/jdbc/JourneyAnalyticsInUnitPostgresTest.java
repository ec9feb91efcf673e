package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.JourneyFact;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyStepRef;
import dev.steward.journey.StepCount;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The analytics facts a journey step's unit of work is given ({@link
 * JdbcJourneyAnalyticsStore#recordLater}) are written just before it commits, all marks in one
 * statement and all counts in one more, counted once per subject and metric, and only if the unit
 * commits: a unit that rolls back and runs again alone counts each fact once.
 */
class JourneyAnalyticsInUnitPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId T = TenantId.of("uow-a");
  private static final Instant T0 = Instant.parse("2026-11-28T04:00:00Z");
  private static final JourneyStepRef AT = new JourneyStepRef("j", 1, "first");

  private static JourneyFact fact(String subject, JourneyMetric m, String reason) {
    return new JourneyFact(T, subject, AT, m, Optional.ofNullable(reason), T0);
  }

  private static long count(JdbcJourneyAnalyticsStore s, JourneyMetric m, String reason) {
    return s.counts(T, "j", 1).stream()
        .filter(c -> c.metric() == m && c.reason().equals(Optional.ofNullable(reason)))
        .mapToLong(StepCount::count)
        .sum();
  }

  private static long marksSeenElsewhere() throws SQLException {
    try (Connection c = DB.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT count(*) FROM steward_journey_mark WHERE tenant_id = ?")) {
      ps.setString(1, T.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long matching(List<String> statements, String prefix) {
    return statements.stream().filter(s -> s.startsWith(prefix)).count();
  }

  @BeforeEach
  void clear() {
    DB.clear();
  }

  @Test
  void aUnitsFactsAreWrittenInOneMarkStatementAndOneCountStatementJustBeforeItCommits()
      throws Exception {
    StatementCountingDataSource ds = new StatementCountingDataSource(DB.dataSource());
    JdbcJourneyAnalyticsStore analytics = JdbcJourneyAnalyticsStore.of(ds);
    assertThat(analytics.record(fact("m-old", JourneyMetric.SENT, null))).isTrue();
    ds.reset();
    List<Long> seenBeforeCommit = new ArrayList<>();

    UnitOfWork.run(
        ds,
        () -> {
          analytics.recordLater(fact("m1", JourneyMetric.SENT, null));
          analytics.recordLater(fact("m2", JourneyMetric.SENT, null));
          analytics.recordLater(fact("m1", JourneyMetric.SENT, null)); // the same fact again
          analytics.recordLater(fact("m-old", JourneyMetric.SENT, null)); // counted before
          analytics.recordLater(fact("m3", JourneyMetric.SKIPPED, "failed"));
          analytics.recordLater(fact("m3", JourneyMetric.SKIPPED, "deadline")); // first wins
          analytics.recordLater(fact("m4", JourneyMetric.DEFERRED, "frequency/daily"));
          analytics.recordLater(fact("e1", JourneyMetric.ENTERED, null));
          try {
            seenBeforeCommit.add(marksSeenElsewhere());
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
          return null;
        });

    assertThat(seenBeforeCommit).containsExactly(1L); // only m-old, committed before the unit
    assertThat(ds.transactions).hasValue(1);
    assertThat(matching(ds.statements, "INSERT INTO steward_journey_mark")).isEqualTo(1);
    assertThat(matching(ds.statements, "INSERT INTO steward_journey_tally")).isEqualTo(1);
    assertThat(ds.statements).hasSize(2);
    assertThat(count(analytics, JourneyMetric.SENT, null)).isEqualTo(3);
    assertThat(count(analytics, JourneyMetric.SKIPPED, null)).isEqualTo(1);
    assertThat(count(analytics, JourneyMetric.SKIPPED, "failed")).isEqualTo(1);
    assertThat(count(analytics, JourneyMetric.SKIPPED, "deadline")).isZero();
    assertThat(count(analytics, JourneyMetric.DEFERRED, null)).isEqualTo(1);
    assertThat(count(analytics, JourneyMetric.DEFERRED, "frequency/daily")).isEqualTo(1);
    assertThat(count(analytics, JourneyMetric.ENTERED, null)).isEqualTo(1);

    // a unit all of whose facts were counted before writes their marks' statement only
    ds.reset();
    UnitOfWork.run(
        ds,
        () -> {
          analytics.recordLater(fact("m1", JourneyMetric.SENT, null));
          analytics.recordLater(fact("m2", JourneyMetric.SENT, null));
          return null;
        });
    assertThat(ds.statements).hasSize(1);
    assertThat(count(analytics, JourneyMetric.SENT, null)).isEqualTo(3);
  }

  @Test
  void aUnitOfMoreFactsThanOneStatementTakesParametersCommitsOnceAndCountsEach() throws Exception {
    // rbatch: 10,000 marks of 7 columns were one INSERT of 70,000 parameters, more than the
    // driver sends (65,535): the unit failed every time and ran again, one transaction per fact
    StatementCountingDataSource ds = new StatementCountingDataSource(DB.dataSource());
    JdbcJourneyAnalyticsStore analytics = JdbcJourneyAnalyticsStore.of(ds);
    int n = 10_000;
    UnitOfWork.run(
        ds,
        () -> {
          for (int i = 0; i < n; i++) {
            analytics.recordLater(fact("m" + i, JourneyMetric.SENT, "r" + (i % 3)));
          }
          return null;
        });

    assertThat(ds.transactions).hasValue(1);
    assertThat(count(analytics, JourneyMetric.SENT, null)).isEqualTo(n);
    assertThat(count(analytics, JourneyMetric.SENT, "r0")).isEqualTo(3334);
    assertThat(marksSeenElsewhere()).isEqualTo(n);
  }

  @Test
  void aUnitWhoseCountStatementFailsRollsBackAndItsRerunCountsEachFactOnce() {
    HookedDataSource ds = new HookedDataSource(DB.dataSource());
    JdbcJourneyAnalyticsStore analytics = JdbcJourneyAnalyticsStore.of(ds);
    JdbcJourneyStore journeys = JdbcJourneyStore.of(ds);
    AtomicInteger attempts = new AtomicInteger();
    ds.before(
        "INSERT INTO steward_journey_tally",
        () -> {
          throw new IllegalStateException("the count statement fails once");
        });

    journeys.together(
        () -> {
          attempts.incrementAndGet();
          analytics.recordLater(fact("m1", JourneyMetric.SENT, null));
          analytics.recordLater(fact("m2", JourneyMetric.SKIPPED, "failed"));
          return null;
        });

    assertThat(attempts).hasValue(2); // the unit, then its writes alone
    assertThat(count(analytics, JourneyMetric.SENT, null)).isEqualTo(1);
    assertThat(count(analytics, JourneyMetric.SKIPPED, null)).isEqualTo(1);
    assertThat(count(analytics, JourneyMetric.SKIPPED, "failed")).isEqualTo(1);
  }

  @Test
  void aUnitSpoiltAfterItsFactsDropsThemAndItsRerunCountsEachOnce() throws Exception {
    DataSource ds = DB.dataSource();
    JdbcJourneyAnalyticsStore analytics = JdbcJourneyAnalyticsStore.of(ds);
    Jdbc other = new Jdbc(ds);
    AtomicInteger attempts = new AtomicInteger();
    List<Long> marksOnRerun = new ArrayList<>();

    UnitOfWork.run(
        ds,
        () -> {
          int n = attempts.incrementAndGet();
          if (n == 2) {
            try {
              marksOnRerun.add(marksSeenElsewhere());
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          }
          analytics.recordLater(fact("m1", JourneyMetric.SENT, null));
          if (n == 1) {
            try {
              other.withConnection(
                  "a statement that fails",
                  c -> Jdbc.update(c, "UPDATE steward_no_such_table SET x = 1"));
            } catch (JdbcStoreException expected) {
              // the unit is spoilt; its caller goes on, as the journey's hooks do
            }
          }
          analytics.recordLater(fact("m2", JourneyMetric.SENT, null));
          return null;
        });

    assertThat(attempts).hasValue(2);
    assertThat(marksOnRerun).containsExactly(0L);
    assertThat(count(analytics, JourneyMetric.SENT, null)).isEqualTo(2);
  }

  @Test
  void twoInstancesKeepingOverlappingFactsInOppositeOrdersCountEachOnce() {
    List<DataSource> sources = List.of(DB.dataSource(), DB.dataSource());
    List<JdbcJourneyAnalyticsStore> instances =
        List.of(
            JdbcJourneyAnalyticsStore.of(sources.get(0)),
            JdbcJourneyAnalyticsStore.of(sources.get(1)));
    int threads = 6;
    int rounds = 20;
    int subjects = 8;

    Concurrently.run(
        threads,
        t -> {
          JdbcJourneyAnalyticsStore s = instances.get(t % 2);
          for (int r = 0; r < rounds; r++) {
            List<String> keys = new ArrayList<>();
            for (int k = 0; k < subjects; k++) {
              keys.add("r" + r + "-m" + k);
            }
            if (t % 2 == 1) {
              Collections.reverse(keys);
            } else {
              Collections.shuffle(keys, new Random(31L * t + r));
            }
            UnitOfWork.run(
                sources.get(t % 2),
                () -> {
                  for (String k : keys) {
                    s.recordLater(fact(k, JourneyMetric.SENT, null));
                    s.recordLater(
                        fact(k, JourneyMetric.SKIPPED, k.endsWith("1") ? "failed" : null));
                  }
                  return null;
                });
          }
          return null;
        });

    JdbcJourneyAnalyticsStore s = instances.get(0);
    assertThat(count(s, JourneyMetric.SENT, null)).isEqualTo((long) rounds * subjects);
    assertThat(count(s, JourneyMetric.SKIPPED, null)).isEqualTo((long) rounds * subjects);
    assertThat(count(s, JourneyMetric.SKIPPED, "failed")).isEqualTo(rounds);
  }

  @Test
  void aUnitWritesAllItsCountsIntoOneStripeSoConcurrentUnitsSeldomShareARow() throws Exception {
    // a stripe per subject made a unit of 100 subjects write every one of 16 stripes: every two
    // units committing at once (a batch of steps each, on two instances) queued on each other
    DataSource ds = DB.dataSource();
    JdbcJourneyAnalyticsStore analytics = JdbcJourneyAnalyticsStore.of(ds);
    int units = 12;
    for (int u = 0; u < units; u++) {
      int unit = u;
      UnitOfWork.run(
          ds,
          () -> {
            for (int i = 0; i < 100; i++) {
              analytics.recordLater(fact("u" + unit + "-m" + i, JourneyMetric.SENT, null));
              analytics.recordLater(fact("u" + unit + "-m" + i, JourneyMetric.SKIPPED, "failed"));
            }
            return null;
          });
    }

    List<long[]> rows = new ArrayList<>(); // stripe, SENT, SKIPPED, SKIPPED/failed
    try (Connection c = DB.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT stripe, metric, reason, n FROM steward_journey_tally"
                    + " WHERE tenant_id = ? ORDER BY stripe, metric, reason")) {
      ps.setString(1, T.value());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new long[] {rs.getInt(1), rs.getLong(4)});
          // each unit's 100 subjects are counted in its one stripe, so every row holds whole
          // units: 100 of each metric and reason per unit that picked the stripe
          assertThat(rs.getLong(4) % 100)
              .as("row %s/%s", rs.getString(2), rs.getString(3))
              .isZero();
          assertThat(rs.getInt(1)).isBetween(0, JdbcJourneyAnalyticsStore.UNIT_STRIPES - 1);
        }
      }
    }
    // three rows (SENT, SKIPPED, SKIPPED/failed) per stripe taken, and at most one stripe a unit
    assertThat(rows.size() % 3).isZero();
    assertThat(rows.size() / 3).isBetween(1, units);
    assertThat(count(analytics, JourneyMetric.SENT, null)).isEqualTo(100L * units);
    assertThat(count(analytics, JourneyMetric.SKIPPED, null)).isEqualTo(100L * units);
    assertThat(count(analytics, JourneyMetric.SKIPPED, "failed")).isEqualTo(100L * units);
  }
}
