package dev.steward.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose connections run in a given session time zone. PgJDBC sends the JVM's zone as
 * a startup parameter, which overrides {@code options=-c TimeZone=...}, so the zone is set by a
 * statement on every new connection instead.
 */
final class ZonedDataSource implements DataSource {
  private final DataSource delegate;
  private final String zone;

  ZonedDataSource(DataSource delegate, String zone) {
    this.delegate = delegate;
    this.zone = zone;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return zoned(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return zoned(delegate.getConnection(username, password));
  }

  private Connection zoned(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET TIME ZONE '" + zone + "'");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || delegate.isWrapperFor(type);
  }
}
