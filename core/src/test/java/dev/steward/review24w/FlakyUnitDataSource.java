package dev.steward.review24w;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose connections fail inside a journey step's unit of work (only there, found by
 * the calling stack): every {@code every}th unit commit is lost (committed, then the connection
 * "drops" before the answer: SQL state 08006), the next one after it is refused (rolled back, then
 * 08006), and every {@code every}th statement on the analytics marks and tally inside a unit fails
 * as a deadlock victim (40P01) would.
 */
final class FlakyUnitDataSource implements DataSource {
  private final DataSource delegate;
  private final int every;
  final AtomicInteger unitCommits = new AtomicInteger();
  final AtomicInteger lostCommits = new AtomicInteger();
  final AtomicInteger refusedCommits = new AtomicInteger();
  final AtomicInteger tallyStatements = new AtomicInteger();
  final AtomicInteger deadlocks = new AtomicInteger();

  FlakyUnitDataSource(DataSource delegate, int every) {
    this.delegate = delegate;
    this.every = every;
  }

  private static boolean inUnit() {
    for (StackTraceElement f : Thread.currentThread().getStackTrace()) {
      if (f.getClassName().equals("dev.steward.jdbc.UnitOfWork")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return wrap(delegate.getConnection(user, password));
  }

  private Connection wrap(Connection real) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              String name = method.getName();
              if (name.equals("commit") && inUnit()) {
                int n = unitCommits.incrementAndGet();
                if (n % every == 0) {
                  real.commit();
                  lostCommits.incrementAndGet();
                  throw new SQLException("connection lost after the commit", "08006");
                }
                if (n % every == 1 && n > 1) {
                  real.rollback();
                  refusedCommits.incrementAndGet();
                  throw new SQLException("connection lost before the commit", "08006");
                }
              }
              if (name.startsWith("prepare")
                  && args != null
                  && args[0] instanceof String sql
                  && (sql.contains("steward_journey_tally") || sql.contains("steward_journey_mark"))
                  && inUnit()
                  && tallyStatements.incrementAndGet() % every == 0) {
                deadlocks.incrementAndGet();
                throw new SQLException("deadlock detected", "40P01");
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
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
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }
}
