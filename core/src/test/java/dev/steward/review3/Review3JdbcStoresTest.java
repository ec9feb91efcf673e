package dev.steward.review3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.steward.Stores;
import dev.steward.jdbc.JdbcRetryPolicy;
import dev.steward.jdbc.JdbcStores;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Hostile review of {@code JdbcStores.of(dataSource, retry)}. */
class Review3JdbcStoresTest {

  /** A data source whose next n connection requests fail as a lost network would. */
  static final class DroppingDataSource implements DataSource {
    private final DataSource delegate;
    private final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();

    DroppingDataSource(DataSource delegate) {
      this.delegate = delegate;
    }

    void failNext(int n) {
      attempts.set(0);
      failures.set(n);
    }

    @Override
    public Connection getConnection() throws SQLException {
      attempts.incrementAndGet();
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new SQLException("connection refused (failover in progress)", "08001");
      }
      return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }

  /**
   * {@code JdbcStores.of(dataSource, retry)} says "the stores over dataSource, retrying transient
   * failures by retry", but passes {@code retry} to the delivery ledger alone: the consent, cap
   * ledger, calendar, inbox, work and health stores are created with the default policy (5
   * attempts). An operator who allows 10 attempts to ride out a database fail-over finds the ledger
   * riding it out and the consent store (read by every dispatch) failing after 5: dispatches fail
   * while the configuration says they should wait.
   */
  @Test
  void theRetryPolicyGivenReachesEveryStoreNotOnlyTheLedger() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:review3-jdbc-stores;DB_CLOSE_DELAY=-1");
    StewardSchema.bootstrap(h2);
    DroppingDataSource ds = new DroppingDataSource(h2);
    JdbcRetryPolicy tenAttempts =
        JdbcRetryPolicy.builder()
            .maxAttempts(10)
            .backoffBase(Duration.ZERO)
            .maxBackoff(Duration.ZERO)
            .build();
    Stores stores = JdbcStores.of(ds, tenAttempts);
    ContactId ada = ContactId.of("ada");
    stores.ledger().find(TenantId.of("alpha"), "warm-up");
    stores.consent().find(TenantId.of("alpha"), ada);

    ds.failNext(7);
    assertThatCode(() -> stores.ledger().find(TenantId.of("alpha"), "k"))
        .as("the ledger rides out 7 failed connections within its 10 attempts")
        .doesNotThrowAnyException();
    ds.failNext(7);
    assertThatCode(() -> stores.consent().find(TenantId.of("alpha"), ada))
        .as("the consent store was given the same 10 attempts")
        .doesNotThrowAnyException();
    assertThat(ds.attempts.get()).isEqualTo(8);
  }

  /**
   * Every H2 script the jar ships, in version order, read from the classes directory: a new schema
   * version is applied here without anyone listing it.
   */
  private static java.util.List<String> h2Scripts() throws Exception {
    java.nio.file.Path dir =
        java.nio.file.Path.of(StewardSchema.class.getResource("/dev/steward/jdbc/h2/").toURI());
    java.util.List<String> scripts;
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
      scripts =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.matches("V\\d+__\\w+\\.sql"))
              .sorted(
                  java.util.Comparator.comparingInt(
                      (String n) -> Integer.parseInt(n.substring(1, n.indexOf("__")))))
              .map(n -> n.substring(0, n.length() - ".sql".length()))
              .toList();
    }
    // the newest script is the current version; the numbers may skip those of unmerged branches
    assertThat(scripts).last().asString().startsWith("V" + StewardSchema.CURRENT_VERSION + "__");
    return scripts;
  }

  /**
   * StewardSchema's Javadoc offers two ways to a schema: {@code bootstrap}, or "Users who manage
   * their schema with their own tool (Flyway, Liquibase) may run the same scripts there instead";
   * JdbcStores.of's own error message repeats the second. But the scripts never write {@code
   * steward_schema_version} (only {@code bootstrap} does), and {@code JdbcStores.of} judges the
   * schema by that table alone: a database migrated by Flyway with exactly Steward's scripts is
   * complete, works with every store, and is refused at start-up for good, with advice to do what
   * was done.
   */
  @Test
  void aSchemaAppliedByTheUsersMigrationToolIsRefused() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review3-flyway;DB_CLOSE_DELAY=-1");
    java.lang.reflect.Method statements =
        StewardSchema.class.getDeclaredMethod("statements", String.class);
    statements.setAccessible(true);
    try (Connection c = ds.getConnection()) {
      for (String script : h2Scripts()) {
        @SuppressWarnings("unchecked")
        java.util.List<String> sql =
            (java.util.List<String>)
                statements.invoke(null, "dev/steward/jdbc/h2/" + script + ".sql");
        for (String statement : sql) {
          try (java.sql.Statement st = c.createStatement()) {
            st.execute(statement);
          }
        }
      }
    }
    assertThat(
            dev.steward.jdbc.JdbcDeliveryLedger.of(ds)
                .find(TenantId.of("alpha"), "the schema works"))
        .isEmpty();

    assertThatCode(() -> JdbcStores.of(ds))
        .as("every table of the current schema is there")
        .doesNotThrowAnyException();
  }
}
