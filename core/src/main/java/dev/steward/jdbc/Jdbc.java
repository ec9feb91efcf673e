package dev.steward.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The JDBC primitives every store shares: connections from a {@link DataSource}, transactions that
 * roll back on any exception, parameter binding and row mapping. The dialect is detected from the
 * first connection's metadata, so constructing a store opens no connection.
 */
final class Jdbc {
  private final DataSource dataSource;
  private volatile JdbcDialect dialect;

  Jdbc(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  DataSource dataSource() {
    return dataSource;
  }

  /** The database's dialect, detected once. */
  JdbcDialect dialect() {
    JdbcDialect d = dialect;
    if (d == null) {
      d = withConnection("detecting the database", JdbcDialect::detect);
      dialect = d;
    }
    return d;
  }

  /**
   * Runs {@code work} in one transaction: commits if it returns, rolls back if it throws anything
   * (the exception then propagates; SQL exceptions wrapped in {@link JdbcStoreException}).
   */
  <T> T inTransaction(String what, SqlWork<T> work) {
    JdbcDialect d = dialect();
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        restoreAutoCommit(c, autoCommit, d);
      }
    } catch (SQLException e) {
      throw new JdbcStoreException(what + " failed: " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} on a connection in auto-commit mode (one statement, one transaction). */
  <T> T withConnection(String what, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      return work.run(c);
    } catch (SQLException e) {
      throw new JdbcStoreException(what + " failed: " + e.getMessage(), e);
    }
  }

  /** Executes an INSERT, UPDATE or DELETE; the row count. */
  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  /** Runs a query and maps every row. */
  static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
        return rows;
      }
    }
  }

  /** Runs a query expected to return at most one row. */
  static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, Object... params)
      throws SQLException {
    List<T> rows = query(c, sql, mapper, params);
    if (rows.size() > 1) {
      throw new JdbcStoreException("expected at most one row but got " + rows.size() + ": " + sql);
    }
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** "?, ?, ?" for an IN list of {@code n} values. */
  static String placeholders(int n) {
    StringBuilder sb = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "?" : ", ?");
    }
    return sb.toString();
  }

  /** Binds by Java type, so that a store never relies on a driver's guess. */
  static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      int at = i + 1;
      if (p == null) {
        ps.setNull(at, Types.NULL);
      } else if (p instanceof TypedNull n) {
        ps.setNull(at, n.sqlType());
      } else if (p instanceof String s) {
        ps.setString(at, s);
      } else if (p instanceof Long l) {
        ps.setLong(at, l);
      } else if (p instanceof Integer n) {
        ps.setInt(at, n);
      } else if (p instanceof Boolean b) {
        ps.setBoolean(at, b);
      } else if (p instanceof byte[] bytes) {
        ps.setBytes(at, bytes);
      } else {
        throw new IllegalArgumentException("unsupported parameter type " + p.getClass().getName());
      }
    }
  }

  /** A null parameter of a known SQL type (some drivers need the type of a null). */
  record TypedNull(int sqlType) {
    static final TypedNull VARCHAR = new TypedNull(Types.VARCHAR);
    static final TypedNull BIGINT = new TypedNull(Types.BIGINT);
  }

  /** A nullable string column bound as VARCHAR even when null. */
  static Object varchar(String value) {
    return value == null ? TypedNull.VARCHAR : value;
  }

  /** A nullable BIGINT column bound as BIGINT even when null. */
  static Object bigint(Long value) {
    return value == null ? TypedNull.BIGINT : value;
  }

  /** A nullable BIGINT column read as a Long. */
  static Long getLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static void restoreAutoCommit(Connection c, boolean autoCommit, JdbcDialect d) {
    try {
      c.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      // the connection goes back to its pool either way; a pool resets or discards it
      JdbcDialect.LOG.debug("could not restore auto-commit on a {} connection", d.name(), e);
    }
  }
}
