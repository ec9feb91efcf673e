package dev.steward.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * A data source that runs a hook once, just before a statement starting with a given text is
 * prepared: how a test puts another instance's write between a store's read and its write.
 */
final class HookedDataSource extends ForwardingDataSource {
  private final AtomicReference<String> prefix = new AtomicReference<>();
  private volatile Runnable hook;

  HookedDataSource(DataSource delegate) {
    super(delegate);
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
}
