package dev.steward.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A data source for one application instance that a test can kill: every connection it handed out
 * is closed at once, and every later request for one fails as a dead process's would. Claims the
 * instance held are left behind in the database, as a crash leaves them.
 */
final class KillableDataSource extends ForwardingDataSource {
  private final List<Connection> open = new ArrayList<>();
  private volatile boolean killed;

  KillableDataSource(DataSource delegate) {
    super(delegate);
  }

  /** Closes every connection and refuses new ones from now on. */
  void kill() {
    killed = true;
    synchronized (open) {
      for (Connection c : open) {
        try {
          c.close();
        } catch (SQLException e) {
          // already broken: that is the point
        }
      }
      open.clear();
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (killed) {
      throw new SQLException("the instance was killed", "08003");
    }
    Connection c = delegate.getConnection();
    synchronized (open) {
      open.removeIf(KillableDataSource::closed);
      open.add(c);
    }
    return c;
  }

  private static boolean closed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("only the configured user");
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}
}
