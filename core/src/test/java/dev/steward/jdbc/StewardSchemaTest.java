package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.Concurrently;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Bootstrap applies the shipped scripts once, however often and from however many callers. */
class StewardSchemaTest {

  private static final String SCHEMA_TEST_PG = "steward_schema_test";

  private static List<String> stewardTables(DataSource ds) throws Exception {
    List<String> tables = new ArrayList<>();
    try (Connection c = ds.getConnection();
        ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT);
        if (name.startsWith("steward_")) {
          tables.add(name);
        }
      }
    }
    return tables;
  }

  private static void assertBootstrappedTwice(DataSource ds) throws Exception {
    assertThat(StewardSchema.bootstrap(ds)).isEqualTo(1);
    assertThat(StewardSchema.bootstrap(ds)).isZero();

    assertThat(StewardSchema.appliedVersions(ds)).containsExactly(StewardSchema.CURRENT_VERSION);
    List<String> expected = new ArrayList<>(TestDatabase.TABLES);
    expected.add(StewardSchema.VERSION_TABLE);
    assertThat(stewardTables(ds)).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static void assertBootstrappedOnceConcurrently(TestDatabase db) {
    List<Integer> applied = Concurrently.run(2, t -> StewardSchema.bootstrap(db.dataSource()));

    assertThat(applied).containsExactlyInAnyOrder(0, 1);
    assertThat(StewardSchema.appliedVersions(db.dataSource()))
        .containsExactly(StewardSchema.CURRENT_VERSION);
  }

  @Test
  void bootstrappingH2TwiceAppliesTheScriptsOnce() throws Exception {
    DataSource ds = new org.h2.jdbcx.JdbcDataSource();
    ((org.h2.jdbcx.JdbcDataSource) ds).setURL("jdbc:h2:mem:schema-twice;DB_CLOSE_DELAY=-1");
    assertBootstrappedTwice(ds);
  }

  @Test
  void bootstrappingH2FromTwoThreadsAtOnceAppliesTheScriptsOnce() {
    org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
    ds.setURL("jdbc:h2:mem:schema-concurrent;DB_CLOSE_DELAY=-1");
    List<Integer> applied = Concurrently.run(2, t -> StewardSchema.bootstrap(ds));

    assertThat(applied).containsExactlyInAnyOrder(0, 1);
    assertThat(StewardSchema.appliedVersions(ds)).containsExactly(StewardSchema.CURRENT_VERSION);
  }

  @Test
  void bootstrappingPostgresTwiceAppliesTheScriptsOnce() throws Exception {
    assertBootstrappedTwice(TestDatabase.freshPostgres(SCHEMA_TEST_PG).dataSource());
  }

  @Test
  void bootstrappingPostgresFromTwoInstancesAtOnceAppliesTheScriptsOnce() {
    assertBootstrappedOnceConcurrently(TestDatabase.freshPostgres(SCHEMA_TEST_PG));
  }

  @Test
  void scriptsSplitIntoStatementsWithoutComments() {
    List<String> statements = StewardSchema.statements("dev/steward/jdbc/h2/V1__stores.sql");

    assertThat(statements).hasSize(11);
    assertThat(statements).allSatisfy(s -> assertThat(s).doesNotContain("--").doesNotEndWith(";"));
    assertThat(statements.get(0)).startsWith("CREATE TABLE IF NOT EXISTS steward_deferred_message");
  }

  @Test
  void theDialectsShipTheSameTables() {
    List<String> pg = StewardSchema.statements("dev/steward/jdbc/postgresql/V1__stores.sql");
    List<String> h2 = StewardSchema.statements("dev/steward/jdbc/h2/V1__stores.sql");

    assertThat(pg).hasSameSizeAs(h2);
    for (int i = 0; i < pg.size(); i++) {
      assertThat(firstLine(pg.get(i))).isEqualTo(firstLine(h2.get(i)));
    }
  }

  private static String firstLine(String statement) {
    return statement.lines().findFirst().orElse("");
  }
}
