package dev.steward.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source whose next commit, once armed, is made and then reported lost (the connection broke
 * before its acknowledgement came back).
 */
final class LosingCommitsDataSource extends ForwardingDataSource {
  final AtomicBoolean armed = new AtomicBoolean();
  final AtomicInteger lost = new AtomicInteger();

  LosingCommitsDataSource(DataSource delegate) {
    super(delegate);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection c = delegate.getConnection();
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              Object out;
              try {
                out = method.invoke(c, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().equals("commit") && armed.compareAndSet(true, false)) {
                lost.incrementAndGet();
                throw new SQLException("the acknowledgement was lost", "08006");
              }
              return out;
            });
  }
}
