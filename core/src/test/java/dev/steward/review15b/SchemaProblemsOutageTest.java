package dev.steward.review15b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.jdbc.SchemaMissingException;
import dev.steward.jdbc.StewardSchema;
import dev.steward.jdbc.TransientStoreException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link StewardSchema#problems} on a database without a version table (the scripts run by another
 * migration tool) while the database goes away: a probe that cannot reach the database says nothing
 * of the table, so the outage is reported as one, not as missing tables.
 */
class SchemaProblemsOutageTest {

  /**
   * A data source whose connections fail with a connection error once {@link #okBeforeDown} more
   * have been handed out (the database goes away mid-way).
   */
  private static final class Outage implements DataSource {
    final DataSource inner;
    final AtomicInteger okBeforeDown = new AtomicInteger(Integer.MAX_VALUE);

    Outage(DataSource inner) {
      this.inner = inner;
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (okBeforeDown.getAndDecrement() <= 0) {
        throw new SQLException("connection refused", "08001");
      }
      return inner.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return inner.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      inner.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      inner.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return inner.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return inner.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return inner.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return inner.isWrapperFor(iface);
    }
  }

  @Test
  void aProbeThatCannotReachTheDatabaseIsAnOutageNotAMissingTable() throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:review15b-schema-outage;DB_CLOSE_DELAY=-1");
    StewardSchema.bootstrap(h2);
    try (Connection c = h2.getConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE " + StewardSchema.VERSION_TABLE); // applied by another tool
    }
    Outage ds = new Outage(h2);
    assertThat(StewardSchema.problems(ds)).as("every table is there").isEmpty();
    assertThatThrownBy(() -> StewardSchema.appliedVersions(ds))
        .isInstanceOf(SchemaMissingException.class);

    // the dialect detection and the version table's read answer; the database goes before the
    // probes
    ds.okBeforeDown.set(2);

    assertThatThrownBy(() -> StewardSchema.problems(ds))
        .as("the database is down, not empty: every table is there")
        .isInstanceOf(TransientStoreException.class);
  }
}
