package dev.steward.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What differs between the databases the JDBC stores support: insert-if-absent, upsert, and where
 * the schema scripts live. Both supported databases claim rows with {@code FOR UPDATE SKIP LOCKED}
 * (H2 since 2.2), so claiming SQL is shared.
 */
interface JdbcDialect {
  Logger LOG = LoggerFactory.getLogger(JdbcDialect.class);

  /** The SQL state of a unique-key violation, in both PostgreSQL and H2. */
  String UNIQUE_VIOLATION = "23505";

  PostgreSql POSTGRESQL = new PostgreSql();
  H2 H2 = new H2();

  /** A short name, also the folder of the dialect's schema scripts. */
  String name();

  /**
   * Inserts a row unless one with the same key exists; true if it inserted. Waits for a concurrent
   * transaction that inserted the same key, then answers by its outcome.
   */
  boolean insertIfAbsent(
      Connection c, String table, String[] keys, String[] columns, Object... values)
      throws SQLException;

  /** Inserts a row, or overwrites the non-key columns of the row with the same key. */
  void upsert(Connection c, String table, String[] keys, String[] columns, Object... values)
      throws SQLException;

  /**
   * An SQL expression for the database's current time in nanoseconds since the epoch (microsecond
   * precision): leases are judged by it, so that application clocks that disagree never matter.
   */
  String nowNanos();

  /** Detects the dialect from a connection's metadata. */
  static JdbcDialect detect(Connection c) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName();
    String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
    if (p.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (p.equals("h2")) {
      return H2;
    }
    throw new JdbcStoreException(
        "unsupported database '" + product + "'; Steward's JDBC stores support PostgreSQL and H2");
  }

  private static String insertSql(String table, String[] columns) {
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", columns)
        + ") VALUES ("
        + Jdbc.placeholders(columns.length)
        + ")";
  }

  /** PostgreSQL: ON CONFLICT clauses, which wait for a concurrent insert of the same key. */
  final class PostgreSql implements JdbcDialect {
    private PostgreSql() {}

    @Override
    public String name() {
      return "postgresql";
    }

    @Override
    public String nowNanos() {
      // clock_timestamp, not now(): a long transaction must not judge leases by its start time
      return "(CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT) * 1000)";
    }

    @Override
    public boolean insertIfAbsent(
        Connection c, String table, String[] keys, String[] columns, Object... values)
        throws SQLException {
      String sql =
          insertSql(table, columns) + " ON CONFLICT (" + String.join(", ", keys) + ") DO NOTHING";
      return Jdbc.update(c, sql, values) == 1;
    }

    @Override
    public void upsert(
        Connection c, String table, String[] keys, String[] columns, Object... values)
        throws SQLException {
      StringBuilder set = new StringBuilder();
      for (String col : columns) {
        if (!contains(keys, col)) {
          set.append(set.length() == 0 ? "" : ", ").append(col).append(" = EXCLUDED.").append(col);
        }
      }
      String sql =
          insertSql(table, columns)
              + " ON CONFLICT ("
              + String.join(", ", keys)
              + ") DO UPDATE SET "
              + set;
      Jdbc.update(c, sql, values);
    }
  }

  /**
   * H2 2.x: a plain INSERT whose unique violation means "present" (H2 keeps the transaction usable
   * after a failed statement), and MERGE ... KEY for upserts. H2 waits for a row lock at most its
   * LOCK_TIMEOUT (1 s by default; raise it in the URL, e.g. {@code ;LOCK_TIMEOUT=10000}, when many
   * threads update one row).
   */
  final class H2 implements JdbcDialect {
    private H2() {}

    @Override
    public String name() {
      return "h2";
    }

    @Override
    public String nowNanos() {
      return "(DATEDIFF(MICROSECOND, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00',"
          + " CURRENT_TIMESTAMP) * 1000)";
    }

    @Override
    public boolean insertIfAbsent(
        Connection c, String table, String[] keys, String[] columns, Object... values)
        throws SQLException {
      try {
        return Jdbc.update(c, insertSql(table, columns), values) == 1;
      } catch (SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
          return false;
        }
        throw e;
      }
    }

    @Override
    public void upsert(
        Connection c, String table, String[] keys, String[] columns, Object... values)
        throws SQLException {
      String sql =
          "MERGE INTO "
              + table
              + " ("
              + String.join(", ", columns)
              + ") KEY ("
              + String.join(", ", keys)
              + ") VALUES ("
              + Jdbc.placeholders(columns.length)
              + ")";
      try {
        Jdbc.update(c, sql, values);
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        // a concurrent MERGE inserted the key first; now the row exists and MERGE updates it
        Jdbc.update(c, sql, values);
      }
    }
  }

  private static boolean contains(String[] values, String value) {
    for (String v : values) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
