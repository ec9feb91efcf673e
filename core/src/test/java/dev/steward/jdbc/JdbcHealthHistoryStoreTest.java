package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.health.HealthRecord;
import dev.steward.health.ScoreStatus;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the contract cannot see: the columns as SQL users read them, and refused input. */
class JdbcHealthHistoryStoreTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final AccountId ACME = AccountId.of("acme");
  private static final TenantId T1 = TenantId.of("t1");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

  private JdbcHealthHistoryStore store;

  @BeforeEach
  void clear() {
    DB.clear();
    store = JdbcHealthHistoryStore.of(DB.dataSource());
  }

  @Test
  void rowsHoldEpochNanosTheScorecardVersionAndNullForNoScore() throws Exception {
    store.append(new HealthRecord(T1, ACME, T0, ScoreStatus.SCORED, 61.5, 0.8, "smb", 4, false));
    store.append(
        new HealthRecord(
            T1,
            ACME,
            T0.plusSeconds(1),
            ScoreStatus.INSUFFICIENT,
            Double.NaN,
            0.3,
            "smb",
            5,
            false));

    try (Connection c = DB.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT as_of, score, scorecard_version FROM steward_health_record"
                    + " ORDER BY as_of")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(T0.getEpochSecond() * 1_000_000_000L + T0.getNano());
      assertThat(rs.getDouble(2)).isEqualTo(61.5);
      assertThat(rs.getInt(3)).isEqualTo(4);
      assertThat(rs.next()).isTrue();
      rs.getDouble(2);
      assertThat(rs.wasNull()).isTrue();
      assertThat(rs.getInt(3)).isEqualTo(5);
    }
  }

  @Test
  void anOtherInstanceReadsWhatOneWrote() {
    store.append(new HealthRecord(T1, ACME, T0, ScoreStatus.SCORED, 12.25, 1, "smb", 2, true));

    assertThat(JdbcHealthHistoryStore.of(DB.dataSource()).latest(T1, ACME).orElseThrow().value())
        .isEqualTo(12.25);
  }

  @Test
  void aTooLongScorecardIdIsRefusedBeforeAnyWrite() {
    HealthRecord r =
        new HealthRecord(T1, ACME, T0, ScoreStatus.SCORED, 50, 1, "s".repeat(201), 1, false);

    assertThatThrownBy(() -> store.append(r))
        .isInstanceOf(InvalidStoreInputException.class)
        .hasMessageContaining("health record scorecardId is 201 characters long");
    assertThat(store.accounts(T1)).isEmpty();
  }

  @Test
  void aTimeOutsideTheStorableRangeIsRefused() {
    HealthRecord r =
        new HealthRecord(
            T1,
            ACME,
            Instant.parse("2300-01-01T00:00:00Z"),
            ScoreStatus.SCORED,
            50,
            1,
            "smb",
            1,
            false);

    assertThatThrownBy(() -> store.append(r))
        .isInstanceOf(InvalidStoreInputException.class)
        .hasMessageStartingWith("health record asOf 2300-01-01T00:00:00Z is outside");
  }

  @Test
  void queriesBeyondTheStorableRangeAreClamped() {
    store.append(new HealthRecord(T1, ACME, T0, ScoreStatus.SCORED, 50, 1, "smb", 1, false));

    assertThat(store.history(T1, ACME, Instant.MIN, Instant.MAX)).hasSize(1);
    assertThat(store.atOrBefore(T1, ACME, Instant.MIN)).isEmpty();
    assertThat(store.recent(T1, ACME, 0)).isEmpty();
    assertThatThrownBy(() -> store.recent(T1, ACME, -1))
        .isInstanceOf(dev.steward.health.InvalidHealthInputException.class);
  }
}
