package dev.steward.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC primitives every store shares: connections from a {@link DataSource}, transactions that
 * roll back on any exception, retries of transient errors, parameter binding and row mapping. The
 * dialect is detected from the first connection's metadata, so constructing a store opens no
 * connection.
 *
 * <p>Retries. A call that fails on a transient error (see {@link TransientErrors}) runs again from
 * the start, after a back-off, up to the {@link JdbcRetryPolicy}'s attempts; then it fails with
 * {@link TransientStoreException}. Whether it may run again depends on what the failure says about
 * its effect:
 *
 * <ul>
 *   <li>No connection could be had: nothing ran, so it always may.
 *   <li>The database undid the failing statement (deadlock, serialization failure, lock or
 *       statement time-out): a transaction is re-run whole, which is safe because the work re-reads
 *       everything it decides on; an auto-commit call is re-run too, so its work must be one
 *       statement, or statements each of which may be repeated after the ones before it committed
 *       (every store's auto-commit work is written so).
 *   <li>The connection was lost: a transaction lost before its commit was sent was rolled back by
 *       the server, so it may; but a lost commit, or a lost auto-commit statement, may have been
 *       applied, and runs again only if the caller said it is {@link Repeat#SAFE} (a read, or a
 *       write that repeats without effect and answers the same). Otherwise the call fails with
 *       {@link StoreOutcomeUnknownException}.
 * </ul>
 *
 * Exception messages of transient failures carry the SQL state only, never the driver's message,
 * which may quote parameter values.
 */
final class Jdbc {
  private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);

  /** Whether a unit of work may run again after it may already have taken effect. */
  enum Repeat {
    /** A read, or a write whose repetition changes nothing and answers the same. */
    SAFE,
    /** A write that must not run twice: repeated only when the database says it was undone. */
    ONLY_IF_UNDONE
  }

  private final DataSource dataSource;
  private final JdbcRetryPolicy retry;
  private volatile JdbcDialect dialect;

  Jdbc(DataSource dataSource) {
    this(dataSource, JdbcRetryPolicy.ofDefaults());
  }

  Jdbc(DataSource dataSource, JdbcRetryPolicy retry) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  DataSource dataSource() {
    return dataSource;
  }

  /** The database's dialect, detected once. */
  JdbcDialect dialect() {
    JdbcDialect d = dialect;
    if (d == null) {
      d = autoCommit("detecting the database", Repeat.SAFE, JdbcDialect::detect);
      dialect = d;
    }
    return d;
  }

  /**
   * Runs {@code work} in one transaction: commits if it returns, rolls back if it throws anything
   * (the exception then propagates; SQL exceptions wrapped in {@link JdbcStoreException}). Re-run
   * whole on a transient error, except after a connection lost during the commit.
   */
  <T> T inTransaction(String what, SqlWork<T> work) {
    return inTransaction(what, Repeat.ONLY_IF_UNDONE, work);
  }

  /** {@link #inTransaction(String, SqlWork)}, re-run after a lost commit too if {@code SAFE}. */
  <T> T inTransaction(String what, Repeat repeat, SqlWork<T> work) {
    Optional<UnitOfWork> unit = UnitOfWork.joining(dataSource); // pgtx: committed by the unit
    if (unit.isPresent()) {
      return unit.get().join(what, work);
    }
    // detected first, on a connection of its own: work that asks for the dialect must not need a
    // second connection while it holds one (a pool of one would wait for itself)
    dialect();
    return retrying(
        what,
        repeat,
        sent -> {
          Connection c = dataSource.getConnection();
          try {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
              T result = work.run(c);
              // a failure before this point leaves nothing behind: the transaction is rolled back
              // (by us, or by the server when the connection died); a failure in commit may not
              sent[0] = true;
              c.commit();
              return result;
            } catch (SQLException | RuntimeException | Error e) {
              rollbackQuietly(c, e);
              throw e;
            } finally {
              restoreAutoCommit(c, autoCommit);
            }
          } finally {
            closeQuietly(c);
          }
        });
  }

  /**
   * Runs {@code work} on a connection in auto-commit mode (each statement its own transaction).
   * Re-run on a transient error that undid the failing statement, but not after a lost connection
   * once the work has started: use {@link #withConnection(String, Repeat, SqlWork)} with {@link
   * Repeat#SAFE} for reads and repeatable writes.
   */
  <T> T withConnection(String what, SqlWork<T> work) {
    return withConnection(what, Repeat.ONLY_IF_UNDONE, work);
  }

  /**
   * {@link #withConnection(String, SqlWork)}, re-run after a lost connection too if {@code SAFE}.
   */
  <T> T withConnection(String what, Repeat repeat, SqlWork<T> work) {
    Optional<UnitOfWork> unit = UnitOfWork.joining(dataSource); // pgtx: each statement in it
    if (unit.isPresent()) {
      return unit.get().join(what, work);
    }
    dialect(); // as in inTransaction
    return autoCommit(what, repeat, work);
  }

  private <T> T autoCommit(String what, Repeat repeat, SqlWork<T> work) {
    return retrying(
        what,
        repeat,
        sent -> {
          Connection c = dataSource.getConnection();
          try {
            if (!c.getAutoCommit()) {
              c.setAutoCommit(true);
            }
            sent[0] = true;
            return work.run(c);
          } finally {
            closeQuietly(c);
          }
        });
  }

  /** One attempt; sets {@code sent[0]} once a write may have reached the database. */
  @FunctionalInterface
  private interface Attempt<T> {
    T run(boolean[] sent) throws SQLException;
  }

  /** "Table not found": PostgreSQL's undefined_table; H2 2.x's 42S02-42S04. */
  private static final java.util.Set<String> UNDEFINED_TABLE =
      java.util.Set.of("42P01", "42S02", "42S03", "42S04");

  private <T> T retrying(String what, Repeat repeat, Attempt<T> attempt) {
    for (int n = 1; ; n++) {
      boolean[] sent = {false};
      SQLException failure;
      try {
        return attempt.run(sent);
      } catch (SQLException e) {
        failure = e;
      }
      TransientErrors.Kind kind = TransientErrors.classify(failure);
      String state = failure.getSQLState();
      if (kind == TransientErrors.Kind.PERMANENT) {
        if (UNDEFINED_TABLE.contains(state)) {
          throw new SchemaMissingException(
              what
                  + " failed: a Steward table is missing from the database. Call"
                  + " StewardSchema.bootstrap(dataSource) once at start-up (it is idempotent), or"
                  + " run the scripts in dev/steward/jdbc/<dialect>/ of the steward-core jar with"
                  + " your migration tool (SQL state "
                  + state
                  + ")",
              failure);
        }
        throw new JdbcStoreException(what + " failed: " + failure.getMessage(), failure);
      }
      if (kind == TransientErrors.Kind.CONNECTION && sent[0] && repeat != Repeat.SAFE) {
        throw new StoreOutcomeUnknownException(
            what
                + " failed: the connection was lost (SQL state "
                + state
                + ") after the write may have been applied; not retried, as running it twice"
                + " is not safe",
            failure);
      }
      if (n >= retry.maxAttempts()) {
        throw new TransientStoreException(
            what
                + " failed after "
                + n
                + (n == 1 ? " attempt" : " attempts")
                + " on transient database errors (last SQL state "
                + state
                + ")",
            n,
            failure);
      }
      Duration delay = retry.delayAfter(n);
      LOG.debug(
          "{} failed on a transient error (SQL state {}), attempt {} of {}; retrying in {} ms",
          what,
          state,
          n,
          retry.maxAttempts(),
          delay.toMillis());
      try {
        Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        TransientStoreException t =
            new TransientStoreException(
                what
                    + " failed after "
                    + n
                    + (n == 1 ? " attempt" : " attempts")
                    + " on transient database errors (last SQL state "
                    + state
                    + "); interrupted while waiting to retry",
                n,
                failure);
        t.addSuppressed(e);
        throw t;
      }
    }
  }

  /** Executes an INSERT, UPDATE or DELETE; the row count. */
  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  /**
   * Executes one INSERT, UPDATE or DELETE for each parameter row in one round trip; the rows
   * changed in all. A driver that answers {@code SUCCESS_NO_INFO} for a row counts it as one.
   */
  static int batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Object[] row : rows) {
        bind(ps, row);
        ps.addBatch();
      }
      int total = 0;
      for (int n : ps.executeBatch()) {
        total += n == PreparedStatement.SUCCESS_NO_INFO ? 1 : Math.max(0, n);
      }
      return total;
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

  /**
   * The rows of {@code select + " IN (...)" + rest} over {@code keys} of one tenant, one statement
   * per {@code chunk} keys, the tenant bound first: the set-based reads of the stores.
   */
  static <T> List<T> queryIn(
      Connection c,
      String select,
      String rest,
      String tenant,
      List<String> keys,
      int chunk,
      RowMapper<T> mapper)
      throws SQLException {
    List<T> rows = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += chunk) {
      List<String> part = keys.subList(from, Math.min(keys.size(), from + chunk));
      Object[] params = new Object[part.size() + 1];
      params[0] = tenant;
      for (int i = 0; i < part.size(); i++) {
        params[i + 1] = part.get(i);
      }
      rows.addAll(
          query(c, select + " IN (" + placeholders(part.size()) + ")" + rest, mapper, params));
    }
    return rows;
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

  /**
   * {@code rows} (each the same columns, bound as {@link #bind} binds them) as one SQL array per
   * column, of the PostgreSQL element types {@code types}, for a statement that reads them through
   * {@code unnest(?::type[], ...)}: one short text for any number of rows, where a VALUES list of n
   * rows is n times the parameters for the server to parse and plan on every call.
   */
  static Object[] columnArrays(Connection c, List<Object[]> rows, String... types)
      throws SQLException {
    Object[][] columns = new Object[types.length][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Object[] row = rows.get(i);
      for (int col = 0; col < types.length; col++) {
        columns[col][i] = row[col] instanceof TypedNull ? null : row[col];
      }
    }
    Object[] arrays = new Object[types.length];
    for (int col = 0; col < types.length; col++) {
      arrays[col] = c.createArrayOf(types[col], columns[col]);
    }
    return arrays;
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
      } else if (p instanceof Double d) {
        ps.setDouble(at, d);
      } else if (p instanceof Boolean b) {
        ps.setBoolean(at, b);
      } else if (p instanceof byte[] bytes) {
        ps.setBytes(at, bytes);
      } else if (p instanceof java.sql.Array array) {
        ps.setArray(at, array);
      } else {
        throw new IllegalArgumentException("unsupported parameter type " + p.getClass().getName());
      }
    }
  }

  /** A null parameter of a known SQL type (some drivers need the type of a null). */
  record TypedNull(int sqlType) {
    static final TypedNull VARCHAR = new TypedNull(Types.VARCHAR);
    static final TypedNull BIGINT = new TypedNull(Types.BIGINT);
    static final TypedNull DOUBLE = new TypedNull(Types.DOUBLE);
    static final TypedNull INTEGER = new TypedNull(Types.INTEGER);
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

  private static void restoreAutoCommit(Connection c, boolean autoCommit) {
    try {
      c.setAutoCommit(autoCommit);
    } catch (SQLException e) {
      // the connection goes back to its pool either way; a pool resets or discards it
      LOG.debug("could not restore auto-commit on a connection (SQL state {})", e.getSQLState());
    }
  }

  /**
   * Closes without throwing: once the work has committed (or failed for its own reason), a failure
   * to hand the connection back must not turn into the call's outcome.
   */
  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("could not close a connection (SQL state {})", e.getSQLState());
    }
  }
}
