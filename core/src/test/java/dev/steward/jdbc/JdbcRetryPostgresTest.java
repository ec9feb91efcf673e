package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.Concurrently;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real transient failures on PostgreSQL, provoked by two transactions at once: the loser of a
 * deadlock, and of a serialization conflict, is re-run by {@link Jdbc} and both commit.
 */
class JdbcRetryPostgresTest {
  private static TestDatabase db;

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.freshPostgres("steward_retry_test");
  }

  @BeforeEach
  void createRows() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS retry_row");
      s.execute("CREATE TABLE retry_row (id INT PRIMARY KEY, n INT NOT NULL)");
      s.execute("INSERT INTO retry_row VALUES (1, 0), (2, 0)");
    }
  }

  private static int n(DataSource ds, int id) {
    return new Jdbc(ds)
        .withConnection(
            "reading",
            c ->
                Jdbc.queryOne(c, "SELECT n FROM retry_row WHERE id = ?", rs -> rs.getInt(1), id)
                    .orElseThrow());
  }

  private static void awaitOnFirstAttempt(int attempt, CyclicBarrier barrier) {
    if (attempt > 1) {
      return; // a re-run must not wait for a partner that has moved on
    }
    try {
      barrier.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theLoserOfADeadlockIsRerunAndBothTransactionsCommit() {
    CyclicBarrier bothHoldTheirFirstRow = new CyclicBarrier(2);
    AtomicInteger attempts = new AtomicInteger();

    List<Integer> results =
        Concurrently.run(
            2,
            t -> {
              Jdbc jdbc = new Jdbc(db.dataSource());
              int first = t == 0 ? 1 : 2;
              int second = t == 0 ? 2 : 1;
              AtomicInteger mine = new AtomicInteger();
              return jdbc.inTransaction(
                  "updating rows in opposite order",
                  c -> {
                    attempts.incrementAndGet();
                    Jdbc.update(c, "UPDATE retry_row SET n = n + 1 WHERE id = ?", first);
                    awaitOnFirstAttempt(mine.incrementAndGet(), bothHoldTheirFirstRow);
                    // each now waits for the other's row: PostgreSQL aborts one with 40P01
                    Jdbc.update(c, "UPDATE retry_row SET n = n + 1 WHERE id = ?", second);
                    return mine.get();
                  });
            });

    // each result is the attempt its transaction committed on: a loser committed on a re-run. How
    // many attempts abort is PostgreSQL's to choose (whose deadlock check fires when, and whether
    // re-runs meet again), and under load this test failed on an exact count of 3; what it proves
    // is that a loser was re-run, every attempt is counted, and both committed once
    assertThat(results).hasSize(2).anySatisfy(r -> assertThat(r).isGreaterThan(1));
    assertThat(attempts).hasValue(results.get(0) + results.get(1));
    // both transactions committed, each exactly once
    assertThat(n(db.dataSource(), 1)).isEqualTo(2);
    assertThat(n(db.dataSource(), 2)).isEqualTo(2);
  }

  @Test
  void theLoserOfASerializationConflictIsRerunAndBothIncrementsCount() {
    CyclicBarrier bothHaveRead = new CyclicBarrier(2);
    AtomicInteger attempts = new AtomicInteger();

    Concurrently.run(
        2,
        t -> {
          Jdbc jdbc = new Jdbc(db.dataSource());
          AtomicInteger mine = new AtomicInteger();
          return jdbc.inTransaction(
              "read-modify-write under SERIALIZABLE",
              c -> {
                attempts.incrementAndGet();
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                int n =
                    Jdbc.queryOne(c, "SELECT n FROM retry_row WHERE id = 1", rs -> rs.getInt(1))
                        .orElseThrow();
                awaitOnFirstAttempt(mine.incrementAndGet(), bothHaveRead);
                // both read 0; the second writer cannot be serialised after the first: 40001
                Jdbc.update(c, "UPDATE retry_row SET n = ? WHERE id = 1", n + 1);
                return null;
              });
        });

    assertThat(attempts).hasValue(3);
    assertThat(n(db.dataSource(), 1)).as("no increment lost").isEqualTo(2);
  }
}
