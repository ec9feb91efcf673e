package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failures {@link Jdbc} retries, and which it must not, with provoked SQL states. */
class JdbcRetryTest {
  private static final JdbcRetryPolicy FAST =
      JdbcRetryPolicy.builder().maxAttempts(4).backoffBase(Duration.ZERO).build();

  private FlakyDataSource ds;
  private Jdbc jdbc;

  @BeforeEach
  void createTable() throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:jdbc-retry;DB_CLOSE_DELAY=-1");
    try (Connection c = h2.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS retry_counter");
      s.execute("CREATE TABLE retry_counter (id INT PRIMARY KEY, n INT NOT NULL)");
      s.execute("INSERT INTO retry_counter VALUES (1, 0)");
    }
    ds = new FlakyDataSource(h2);
    jdbc = new Jdbc(ds, FAST);
    jdbc.dialect(); // detected before any fault is armed
  }

  private int increment(Jdbc.Repeat repeat) {
    return jdbc.withConnection(
        "incrementing",
        repeat,
        c -> Jdbc.update(c, "UPDATE retry_counter SET n = n + 1 WHERE id = ?", 1));
  }

  private int incrementInTransaction() {
    return jdbc.inTransaction(
        "incrementing in a transaction",
        c -> Jdbc.update(c, "UPDATE retry_counter SET n = n + 1 WHERE id = ?", 1));
  }

  private int counter() {
    ds.statement().fail(0, null);
    return jdbc.withConnection(
        "reading",
        c ->
            Jdbc.queryOne(c, "SELECT n FROM retry_counter WHERE id = ?", rs -> rs.getInt(1), 1)
                .orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {"40001", "40P01", "55P03", "57014", "HYT00"})
  void aStatementTheDatabaseUndidIsRetriedAndAppliedOnce(String state) {
    ds.statement().fail(2, state);

    assertThat(increment(Jdbc.Repeat.ONLY_IF_UNDONE)).isEqualTo(1);

    assertThat(ds.statement().calls()).isEqualTo(3);
    assertThat(counter()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"08000", "08003", "08006", "90067"})
  void aReadIsRetriedAfterALostConnection(String state) {
    ds.statement().fail(2, state);

    List<Integer> rows =
        jdbc.withConnection(
            "reading",
            Jdbc.Repeat.SAFE,
            c -> Jdbc.query(c, "SELECT n FROM retry_counter", rs -> rs.getInt(1)));

    assertThat(rows).containsExactly(0);
    assertThat(ds.statement().calls()).isEqualTo(3);
  }

  @Test
  void aWriteIsNotRetriedAfterALostConnectionSinceItMayHaveBeenApplied() {
    ds.statement().fail(1, "08006");

    assertThatThrownBy(() -> increment(Jdbc.Repeat.ONLY_IF_UNDONE))
        .isInstanceOf(StoreOutcomeUnknownException.class)
        .hasMessageContaining("incrementing")
        .hasMessageContaining("08006")
        .hasMessageNotContaining(FlakyDataSource.SECRET);
    assertThat(ds.statement().calls()).isEqualTo(1);
  }

  @Test
  void aWriteIsRetriedWhenNoConnectionCouldBeHad() {
    ds.connect().fail(2, "08001");

    assertThat(increment(Jdbc.Repeat.ONLY_IF_UNDONE)).isEqualTo(1);

    assertThat(ds.connect().calls()).isEqualTo(3);
    assertThat(counter()).isEqualTo(1);
  }

  @Test
  void whenAttemptsRunOutTheFailureSaysHowManyAndNothingSecret() {
    ds.statement().fail(100, "40P01");

    assertThatThrownBy(() -> increment(Jdbc.Repeat.ONLY_IF_UNDONE))
        .isInstanceOfSatisfying(
            TransientStoreException.class, e -> assertThat(e.attempts()).isEqualTo(4))
        .hasMessageContaining("after 4 attempts")
        .hasMessageContaining("40P01")
        .hasMessageNotContaining(FlakyDataSource.SECRET)
        .hasRootCauseInstanceOf(SQLException.class);
    assertThat(ds.statement().calls()).isEqualTo(4);
    assertThat(counter()).isZero();
  }

  @Test
  void aPermanentErrorIsNotRetried() {
    ds.statement().fail(1, "42000");

    assertThatThrownBy(() -> increment(Jdbc.Repeat.SAFE))
        .isInstanceOf(JdbcStoreException.class)
        .isNotInstanceOf(TransientStoreException.class);
    assertThat(ds.statement().calls()).isEqualTo(1);
  }

  @Test
  void aTransactionIsRerunWholeAfterASerializationFailureAtCommit() {
    ds.commit().fail(1, "40001");

    assertThat(incrementInTransaction()).isEqualTo(1);

    assertThat(ds.commit().calls()).isEqualTo(2);
    assertThat(counter()).isEqualTo(1);
  }

  @Test
  void aTransactionIsRerunAfterALostConnectionBeforeItsCommit() {
    ds.statement().fail(1, "08006");

    assertThat(incrementInTransaction()).isEqualTo(1);

    assertThat(ds.statement().calls()).isEqualTo(2);
    assertThat(counter()).isEqualTo(1);
  }

  @Test
  void aTransactionWhoseCommitLostTheConnectionIsNotRerun() {
    ds.commit().fail(1, "08006");

    assertThatThrownBy(this::incrementInTransaction)
        .isInstanceOf(StoreOutcomeUnknownException.class);
    assertThat(ds.commit().calls()).isEqualTo(1);
  }

  @Test
  void noRetryPolicySurfacesTheFirstTransientError() {
    Jdbc once = new Jdbc(ds, JdbcRetryPolicy.none());
    once.dialect();
    ds.statement().fail(1, "40001");

    assertThatThrownBy(
            () ->
                once.withConnection(
                    "incrementing",
                    c -> Jdbc.update(c, "UPDATE retry_counter SET n = n + 1 WHERE id = 1")))
        .isInstanceOfSatisfying(
            TransientStoreException.class, e -> assertThat(e.attempts()).isEqualTo(1))
        .hasMessageContaining("after 1 attempt ");
  }

  @Test
  void theBackOffDoublesWithJitterUpToItsMaximum() {
    JdbcRetryPolicy p =
        JdbcRetryPolicy.builder()
            .backoffBase(Duration.ofMillis(10))
            .maxBackoff(Duration.ofMillis(70))
            .build();
    for (int i = 0; i < 200; i++) {
      assertThat(p.delayAfter(1)).isBetween(Duration.ofMillis(5), Duration.ofMillis(10));
      assertThat(p.delayAfter(3)).isBetween(Duration.ofMillis(20), Duration.ofMillis(40));
      assertThat(p.delayAfter(4)).isBetween(Duration.ofMillis(35), Duration.ofMillis(70));
      assertThat(p.delayAfter(60)).isBetween(Duration.ofMillis(35), Duration.ofMillis(70));
    }
  }

  @Test
  void thePolicyRefusesNonsense() {
    assertThat(JdbcRetryPolicy.ofDefaults().maxAttempts())
        .isEqualTo(JdbcRetryPolicy.DEFAULT_MAX_ATTEMPTS);
    assertThatThrownBy(() -> JdbcRetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be at least 1, was 0");
    assertThatThrownBy(() -> JdbcRetryPolicy.builder().backoffBase(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backoffBase must not be negative");
    assertThatThrownBy(
            () ->
                JdbcRetryPolicy.builder()
                    .backoffBase(Duration.ofSeconds(2))
                    .maxBackoff(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not exceed maxBackoff");
  }
}
