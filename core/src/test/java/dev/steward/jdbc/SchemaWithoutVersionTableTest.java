package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link StewardSchema#problems} on a database without the version table: nothing of Steward's is
 * "no Steward schema"; every table is served (the scripts run by another tool); some tables are
 * reported by what was found, what is missing and what lacks columns, on H2 and PostgreSQL.
 */
class SchemaWithoutVersionTableTest {

  private static void run(DataSource ds, String... statements) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private static void assertReported(DataSource empty, DataSource partial) throws SQLException {
    int total = StewardSchema.PROBES.size();
    assertThat(StewardSchema.problems(empty))
        .containsExactly(
            "no Steward schema: neither the version table steward_schema_version nor any of the "
                + total
                + " Steward tables exists");

    StewardSchema.bootstrap(partial);
    run(
        partial,
        "DROP TABLE " + StewardSchema.VERSION_TABLE,
        "DROP TABLE steward_pilot_day",
        "DROP TABLE steward_journey_task",
        "ALTER TABLE steward_pilot_send DROP COLUMN holds");
    List<String> problems = StewardSchema.problems(partial);
    assertThat(problems.get(0))
        .startsWith("no version table steward_schema_version")
        .contains("StewardSchema.bootstrap")
        .contains((total - 2) + " of " + total + " found [")
        .contains("steward_consent")
        .contains("1 lack columns [steward_pilot_send]")
        .endsWith("2 missing [steward_journey_task, steward_pilot_day]");
    assertThat(problems.subList(1, problems.size()))
        .containsExactly(
            "table steward_journey_task is missing",
            "table steward_pilot_day is missing",
            "table steward_pilot_send lacks one of its columns [tenant_id, epoch_day, message_id,"
                + " holds]");
    assertThatThrownBy(() -> JdbcStores.of(partial))
        .isInstanceOf(SchemaMissingException.class)
        .hasMessageContaining("no version table")
        .hasMessageContaining("table steward_pilot_day is missing");
  }

  private static JdbcDataSource h2(String name) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  @Test
  void onH2() throws SQLException {
    assertReported(h2("no-version-empty"), h2("no-version-partial"));
  }

  @Test
  void onPostgres() throws SQLException {
    assertReported(
        TestDatabase.freshPostgres("no_version_empty").dataSource(),
        TestDatabase.freshPostgres("no_version_partial").dataSource());
  }
}
