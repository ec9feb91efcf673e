package dev.steward.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A data source that refuses a thread a connection while it still holds another: code that takes a
 * second connection inside a transaction deadlocks a pool once as many threads do it as the pool
 * has connections (each holding one, all waiting for one more).
 */
final class NoNestedConnectionDataSource extends ForwardingDataSource {
  private final ThreadLocal<List<Connection>> held = ThreadLocal.withInitial(ArrayList::new);

  NoNestedConnectionDataSource(DataSource delegate) {
    super(delegate);
  }

  @Override
  public Connection getConnection() throws SQLException {
    List<Connection> mine = held.get();
    mine.removeIf(NoNestedConnectionDataSource::closed);
    if (!mine.isEmpty()) {
      throw new IllegalStateException(
          "a second connection asked for while this thread holds one: a pool of n connections"
              + " deadlocks under n threads doing this");
    }
    Connection c = delegate.getConnection();
    mine.add(c);
    return c;
  }

  private static boolean closed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}
