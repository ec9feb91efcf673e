package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Schema versions 6 to 9 re-key a table on H2 with {@code DROP PRIMARY KEY} followed by {@code ADD
 * CONSTRAINT ... PRIMARY KEY}. H2 commits each DDL statement on its own, and {@code
 * StewardSchema.migrate} (StewardSchema.java:187-200) records a version only after its whole
 * script, so a JVM killed (or a statement failing) between those two statements leaves the table
 * without any primary key and the version unrecorded. The next start runs the script again from the
 * top, and {@code DROP PRIMARY KEY} on a table that has none fails: every later bootstrap fails, so
 * the application can never start again without hand-repairing the schema (and meanwhile the table
 * accepts duplicate keys). The scripts claim to be idempotent (the V8 comment says "running the
 * script again drops and re-creates it"), but they are only idempotent once complete. Fix: make the
 * drop conditional (e.g. {@code ALTER TABLE ... DROP CONSTRAINT IF EXISTS <the v1 key's name>}
 * looked up first, or catch H2's "no primary key" error for that statement), or check the key's
 * columns in {@code INFORMATION_SCHEMA} before dropping it.
 */
class Review4InterruptedMigrationTest {

  private static JdbcDataSource h2(String name) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review4_" + name + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  @ParameterizedTest
  @CsvSource({"6, consent_tenancy", "7, cap_tenancy", "8, calendar_tenancy", "9, health_tenancy"})
  void aBootstrapInterruptedAfterDropPrimaryKeyNeverSucceedsAgain(int version, String name)
      throws Exception {
    JdbcDataSource ds = h2("v" + version);
    StewardSchema.bootstrap(ds, version - 1);
    List<String> statements =
        StewardSchema.statements("dev/steward/jdbc/h2/V" + version + "__" + name + ".sql");
    // run the script up to and including its first DROP PRIMARY KEY, then "crash"
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
        if (statement.contains("DROP PRIMARY KEY")) {
          break;
        }
      }
    }

    // the application restarts
    assertThatCode(() -> StewardSchema.bootstrap(ds)).doesNotThrowAnyException();
  }
}
