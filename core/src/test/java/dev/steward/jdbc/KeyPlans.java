package dev.steward.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** What PostgreSQL plans for a key look-up, and which indexes a table has (plan tests' probes). */
final class KeyPlans {
  private KeyPlans() {}

  /**
   * The plan of {@code explainLookUp} (an {@code EXPLAIN} taking the tenant and the key) for {@code
   * key}, after {@code table} was analysed empty and then filled by {@code fill}: the statistics a
   * new database keeps until autovacuum analyses it again.
   */
  static String afterFillingAnEmptyAnalysedTable(
      DataSource ds, String table, String fill, String explainLookUp, String tenant, String key)
      throws SQLException {
    analyseEmptyThenFill(ds, table, fill);
    List<String> plan = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(explainLookUp)) {
      ps.setString(1, tenant);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.add(rs.getString(1));
        }
      }
    }
    return String.join("\n", plan);
  }

  /**
   * The generic plan of {@code sql} (its {@code ?} parameters taking {@code arguments}, a list of
   * SQL literals) after {@code table} was analysed empty and then filled by {@code fill}: the plan
   * PostgreSQL may keep once the driver server-prepares the statement, whatever the values bound.
   */
  static String genericPlanAfterFillingAnEmptyAnalysedTable(
      DataSource ds, String table, String fill, String sql, String arguments) throws SQLException {
    analyseEmptyThenFill(ds, table, fill);
    StringBuilder numbered = new StringBuilder();
    int n = 0;
    for (char ch : sql.toCharArray()) {
      if (ch == '?') {
        numbered.append('$').append(++n);
      } else {
        numbered.append(ch);
      }
    }
    List<String> plan = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET plan_cache_mode = force_generic_plan");
      s.execute("PREPARE planned AS " + numbered);
      try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE planned(" + arguments + ")")) {
        while (rs.next()) {
          plan.add(rs.getString(1));
        }
      }
    }
    return String.join("\n", plan);
  }

  private static void analyseEmptyThenFill(DataSource ds, String table, String fill)
      throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute("ANALYZE " + table);
      s.execute(fill);
    }
  }

  /** The names of {@code table}'s indexes. */
  static List<String> indexes(DataSource ds, String table) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT indexname FROM pg_indexes WHERE tablename = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }
}
