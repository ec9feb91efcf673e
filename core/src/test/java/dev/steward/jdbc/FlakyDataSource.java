package dev.steward.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source that fails on purpose: the next n connections, statement executions or commits
 * throw an SQLException with a given SQL state instead of running. Counts what was attempted.
 */
final class FlakyDataSource extends ForwardingDataSource {
  /** Quoted in every provoked failure: it must never reach a Steward exception message. */
  static final String SECRET = "secret-value-4711";

  private static final Set<String> EXECUTE = Set.of("execute", "executeUpdate", "executeQuery");

  private final Fault connect = new Fault();
  private final Fault statement = new Fault();
  private final Fault commit = new Fault();
  private final Fault commitAcknowledgement = new Fault();

  FlakyDataSource(DataSource delegate) {
    super(delegate);
  }

  /** Failures of getConnection. */
  Fault connect() {
    return connect;
  }

  /** Failures of PreparedStatement.execute*. */
  Fault statement() {
    return statement;
  }

  /** Failures of Connection.commit. */
  Fault commit() {
    return commit;
  }

  /**
   * Failures after Connection.commit: the commit is applied, then the call throws, as when the
   * connection is lost before the server's acknowledgement arrives.
   */
  Fault commitAcknowledgement() {
    return commitAcknowledgement;
  }

  /** The next {@code times} calls fail with {@code sqlState}; counts every call. */
  static final class Fault {
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile String sqlState;

    Fault fail(int times, String state) {
      this.sqlState = state;
      remaining.set(times);
      calls.set(0);
      failed.set(0);
      return this;
    }

    int calls() {
      return calls.get();
    }

    /** How many calls failed since the last {@link #fail}. */
    int failed() {
      return failed.get();
    }

    void check() throws SQLException {
      calls.incrementAndGet();
      if (remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        failed.incrementAndGet();
        throw new SQLException("provoked failure quoting " + SECRET, sqlState);
      }
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    connect.check();
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    connect.check();
    return wrap(delegate.getConnection(user, password));
  }

  private Connection wrap(Connection c) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.getName().equals("commit")) {
            commit.check();
          }
          Object result = invoke(c, method, args);
          if (method.getName().equals("commit")) {
            commitAcknowledgement.check();
          }
          if (result instanceof PreparedStatement ps) {
            return wrap(ps);
          }
          return result;
        };
    return (Connection)
        Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
  }

  private PreparedStatement wrap(PreparedStatement ps) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (EXECUTE.contains(method.getName())) {
            statement.check();
          }
          return invoke(ps, method, args);
        };
    return (PreparedStatement)
        Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, h);
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
