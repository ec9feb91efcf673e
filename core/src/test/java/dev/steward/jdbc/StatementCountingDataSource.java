package dev.steward.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source that records every statement prepared through it and counts the transactions opened
 * (auto-commit turned off): how a test shows that a store wrote nothing.
 */
final class StatementCountingDataSource extends ForwardingDataSource {
  final List<String> statements = new CopyOnWriteArrayList<>();
  final AtomicInteger transactions = new AtomicInteger();

  /**
   * The statements the database ran through prepared statements: each execute and each row added to
   * a JDBC batch (a batch sends one statement per row).
   */
  final AtomicInteger executions = new AtomicInteger();

  StatementCountingDataSource(DataSource delegate) {
    super(delegate);
  }

  /** The statements recorded that write (INSERT, UPDATE, DELETE, MERGE) or lock rows. */
  List<String> writesAndLocks() {
    return statements.stream()
        .filter(
            s -> {
              String u = s.strip().toUpperCase(Locale.ROOT);
              return u.startsWith("INSERT")
                  || u.startsWith("UPDATE")
                  || u.startsWith("DELETE")
                  || u.startsWith("MERGE")
                  || u.contains("FOR UPDATE");
            })
        .toList();
  }

  void reset() {
    statements.clear();
    transactions.set(0);
    executions.set(0);
  }

  private Connection wrap(Connection c) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if ((method.getName().equals("prepareStatement")
                  || method.getName().equals("prepareCall"))
              && args[0] instanceof String sql) {
            statements.add(sql);
          }
          if (method.getName().equals("setAutoCommit") && Boolean.FALSE.equals(args[0])) {
            transactions.incrementAndGet();
          }
          try {
            Object out = method.invoke(c, args);
            return out instanceof PreparedStatement ps ? counting(ps) : out;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Connection)
        Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
  }

  private PreparedStatement counting(PreparedStatement ps) {
    InvocationHandler h =
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("addBatch")
              || (name.startsWith("execute")
                  && !name.equals("executeBatch")
                  && !name.equals("executeLargeBatch"))) {
            executions.incrementAndGet();
          }
          try {
            return method.invoke(ps, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (PreparedStatement)
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, h);
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
