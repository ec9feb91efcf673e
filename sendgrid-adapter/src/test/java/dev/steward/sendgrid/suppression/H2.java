package dev.steward.sendgrid.suppression;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * An in-memory H2 database as a plain {@link DataSource} over the driver (H2's own data source
 * needs {@code java.naming}, which this test module does not read).
 */
final class H2 implements DataSource {
  private final String url;

  H2(String name) {
    this.url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
  }

  @Override
  public Connection getConnection() throws SQLException {
    return DriverManager.getConnection(url, "sa", "");
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return DriverManager.getConnection(url, user, password);
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
  public <T> T unwrap(Class<T> type) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
