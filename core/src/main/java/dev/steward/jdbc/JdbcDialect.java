package dev.steward.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
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

  /**
   * Inserts each of {@code rows} (values of {@code columns}) unless a row with its key exists, in
   * one statement (or a few, for many rows), in the order given: the row locks a concurrent insert
   * of the same key waits for are taken in that order. Waits for a concurrent transaction that
   * inserted one of the keys, then skips it if that one committed.
   */
  void insertAllIfAbsent(
      Connection c, String table, String[] keys, String[] columns, List<Object[]> rows)
      throws SQLException;

  /**
   * The order in which the database sorts the values of a key column of Steward's tables ({@code
   * ORDER BY} on it): a store that locks rows in a fixed order takes them in this one, so that the
   * order it inserts in and the order it locks in are one. PostgreSQL's key columns are {@code
   * COLLATE "C"}: the order of their characters' code points; H2 compares Java strings.
   */
  Comparator<String> keyOrder();

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
    public void insertAllIfAbsent(
        Connection c, String table, String[] keys, String[] columns, List<Object[]> rows)
        throws SQLException {
      for (List<Object[]> chunk : chunks(rows, columns.length)) {
        // the rows of one VALUES list are inserted in their order
        Jdbc.update(
            c,
            multiRowInsertSql(table, columns, chunk.size())
                + " ON CONFLICT ("
                + String.join(", ", keys)
                + ") DO NOTHING",
            flatten(chunk, columns.length));
      }
    }

    @Override
    public Comparator<String> keyOrder() {
      return CODE_POINTS;
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
    public void insertAllIfAbsent(
        Connection c, String table, String[] keys, String[] columns, List<Object[]> rows)
        throws SQLException {
      StringBuilder absent = new StringBuilder();
      for (String k : keys) {
        absent.append(absent.length() == 0 ? "" : " AND ").append("x.").append(k);
        absent.append(" = v.").append(k);
      }
      for (List<Object[]> chunk : chunks(rows, columns.length)) {
        String sql =
            "INSERT INTO "
                + table
                + " ("
                + String.join(", ", columns)
                + ") SELECT * FROM (VALUES "
                + rowsOfPlaceholders(columns.length, chunk.size())
                + ") v("
                + String.join(", ", columns)
                + ") WHERE NOT EXISTS (SELECT 1 FROM "
                + table
                + " x WHERE "
                + absent
                + ")";
        Object[] values = flatten(chunk, columns.length);
        // a concurrent insert of one of the keys that committed fails the statement (H2 undoes
        // the statement alone and keeps the transaction): run again, it now sees that row
        for (int attempt = 1; ; attempt++) {
          try {
            Jdbc.update(c, sql, values);
            break;
          } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || attempt > chunk.size()) {
              throw e;
            }
          }
        }
      }
    }

    @Override
    public Comparator<String> keyOrder() {
      return Comparator.naturalOrder();
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

  /** Strings by their characters' code points: PostgreSQL's {@code COLLATE "C"} on UTF-8. */
  Comparator<String> CODE_POINTS =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int x = a.codePointAt(i);
          int y = b.codePointAt(j);
          if (x != y) {
            return Integer.compare(x, y);
          }
          i += Character.charCount(x);
          j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
      };

  /** At most this many parameters in one statement: far within every driver's limit. */
  int MAX_PARAMETERS = 10_000;

  /** {@code rows} cut into runs whose parameters stay within {@link #MAX_PARAMETERS}. */
  private static List<List<Object[]>> chunks(List<Object[]> rows, int width) {
    int per = Math.max(1, MAX_PARAMETERS / width);
    List<List<Object[]>> out = new java.util.ArrayList<>();
    for (int from = 0; from < rows.size(); from += per) {
      out.add(rows.subList(from, Math.min(rows.size(), from + per)));
    }
    return out;
  }

  private static Object[] flatten(List<Object[]> rows, int width) {
    Object[] values = new Object[rows.size() * width];
    int at = 0;
    for (Object[] row : rows) {
      if (row.length != width) {
        throw new IllegalArgumentException(
            "a row has " + row.length + " values for " + width + " columns");
      }
      System.arraycopy(row, 0, values, at, width);
      at += width;
    }
    return values;
  }

  /** "(?, ?), (?, ?)" for {@code rows} rows of {@code width} values. */
  static String rowsOfPlaceholders(int width, int rows) {
    String one = "(" + Jdbc.placeholders(width) + ")";
    StringBuilder sb = new StringBuilder(rows * (one.length() + 2));
    for (int i = 0; i < rows; i++) {
      sb.append(i == 0 ? "" : ", ").append(one);
    }
    return sb.toString();
  }

  private static String multiRowInsertSql(String table, String[] columns, int rows) {
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", columns)
        + ") VALUES "
        + rowsOfPlaceholders(columns.length, rows);
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
