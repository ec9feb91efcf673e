package dev.steward.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that runs a hook once, just before a statement starting with a given text is
 * prepared: how a test puts another instance's write between a store's read and its write.
 */
final class HookedDataSource implements DataSource {
  private final DataSource delegate;
  private final AtomicReference<String> prefix = new AtomicReference<>();
  private volatile Runnable hook;

  HookedDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /** Runs {@code hook} once, before the next statement that starts with {@code sqlPrefix}. */
  HookedDataSource before(String sqlPrefix, Runnable hook) {
    this.hook = hook;
    this.prefix.set(sqlPrefix);
    return this;
  }

  private Connection wrap(Connection c) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.getName().equals("prepareStatement") && args[0] instanceof String sql) {
            String p = prefix.get();
            if (p != null && sql.startsWith(p) && prefix.compareAndSet(p, null)) {
              hook.run();
            }
          }
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Connection)
        Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(delegate.getConnection(username, password));
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
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
