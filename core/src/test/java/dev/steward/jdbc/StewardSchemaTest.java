package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.Concurrently;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bootstrap applies the shipped scripts once, however often and from however many callers. */
class StewardSchemaTest {
  /** What the library ships: the versions need not be contiguous while branches merge. */
  private static final List<Integer> ALL_VERSIONS = StewardSchema.versions();

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
    assertThat(StewardSchema.bootstrap(ds)).isEqualTo(ALL_VERSIONS.size());
    assertThat(StewardSchema.bootstrap(ds)).isZero();

    assertThat(StewardSchema.appliedVersions(ds)).containsExactlyElementsOf(ALL_VERSIONS);
    assertThat(ALL_VERSIONS).last().isEqualTo(StewardSchema.CURRENT_VERSION);
    List<String> expected = new ArrayList<>(TestDatabase.TABLES);
    expected.add(StewardSchema.VERSION_TABLE);
    assertThat(stewardTables(ds)).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static void assertBootstrappedOnceConcurrently(TestDatabase db) {
    List<Integer> applied = Concurrently.run(2, t -> StewardSchema.bootstrap(db.dataSource()));

    assertThat(applied).containsExactlyInAnyOrder(0, ALL_VERSIONS.size());
    assertThat(StewardSchema.appliedVersions(db.dataSource()))
        .containsExactlyElementsOf(ALL_VERSIONS);
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

    assertThat(applied).containsExactlyInAnyOrder(0, ALL_VERSIONS.size());
    assertThat(StewardSchema.appliedVersions(ds)).containsExactlyElementsOf(ALL_VERSIONS);
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

    assertThat(statements).hasSize(12);
    assertThat(statements).allSatisfy(s -> assertThat(s).doesNotContain("--").doesNotEndWith(";"));
    assertThat(statements.get(0)).startsWith("CREATE TABLE IF NOT EXISTS steward_deferred_message");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "V1__stores.sql",
        "V2__health.sql",
        "V3__work.sql",
        "V4__ledger.sql",
        "V5__retention.sql",
        "V6__consent_tenancy.sql",
        "V8__calendar_tenancy.sql",
        "V9__health_tenancy.sql",
        "V10__ledger_tenancy.sql",
        "V13__onboarding.sql",
        "V14__ippool.sql",
        "V15__pilot.sql",
        "V16__journey_signals.sql",
        "V17__journey_tasks.sql",
        "V18__pilot_holds_pool_erasure.sql",
        "V19__pilot_reservations.sql",
        "V20__consent_changes.sql",
        "V21__journey_triggers.sql",
        "V22__journey_analytics.sql",
        "V23__journey_tally.sql",
        "V24__calendar_plan_seq.sql",
        "V25__ledger_key_lookup.sql",
        "V26__calendar_key_lookup.sql",
        "V27__enrolment_key_lookup.sql"
      })
  void theDialectsShipTheSameTables(String script) {
    List<String> pg = StewardSchema.statements("dev/steward/jdbc/postgresql/" + script);
    List<String> h2 = StewardSchema.statements("dev/steward/jdbc/h2/" + script);

    assertThat(pg).isNotEmpty().hasSameSizeAs(h2);
    for (int i = 0; i < pg.size(); i++) {
      assertThat(firstLine(pg.get(i))).isEqualTo(firstLine(h2.get(i)));
    }
  }

  /** A database bootstrapped by a version-1 library, holding a row, upgrades in place. */
  private static void assertVersionOneUpgrades(DataSource ds) throws Exception {
    assertThat(StewardSchema.bootstrap(ds, 1)).isEqualTo(1);
    assertThat(StewardSchema.appliedVersions(ds)).containsExactly(1);
    assertThat(stewardTables(ds)).doesNotContain("steward_health_record");
    try (Connection c = ds.getConnection();
        java.sql.Statement s = c.createStatement()) {
      s.execute("INSERT INTO steward_event_seen (event_id, seen_at) VALUES ('kept', 1)");
    }

    assertThat(StewardSchema.bootstrap(ds)).isEqualTo(ALL_VERSIONS.size() - 1);
    assertThat(StewardSchema.bootstrap(ds)).isZero();

    assertThat(StewardSchema.appliedVersions(ds)).containsExactlyElementsOf(ALL_VERSIONS);
    assertThat(stewardTables(ds))
        .contains("steward_health_record", "steward_health_band_state", "steward_event_seen");
    try (Connection c = ds.getConnection();
        java.sql.Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM steward_event_seen")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
    // the scripts themselves are idempotent, as H2 instances racing past the lock would need
    for (String name : List.of("V2__health.sql", "V9__health_tenancy.sql")) {
      for (String statement : StewardSchema.statements(script(ds, name))) {
        try (Connection c = ds.getConnection();
            java.sql.Statement s = c.createStatement()) {
          s.execute(statement);
        }
      }
    }
  }

  private static String script(DataSource ds, String name) {
    return "dev/steward/jdbc/" + new Jdbc(ds).dialect().name() + "/" + name;
  }

  @Test
  void aVersionOneH2DatabaseUpgradesToVersionTwo() throws Exception {
    org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
    ds.setURL("jdbc:h2:mem:schema-upgrade;DB_CLOSE_DELAY=-1");
    assertVersionOneUpgrades(ds);
  }

  @Test
  void aVersionOnePostgresDatabaseUpgradesToVersionTwo() throws Exception {
    assertVersionOneUpgrades(TestDatabase.freshPostgres(SCHEMA_TEST_PG).dataSource());
  }

  /**
   * Version 7 scopes the cap ledger by tenant: a row written before it belongs to the tenant
   * 'default', and running the script again changes nothing.
   */
  private static void assertCapLedgerRowsMoveToTheDefaultTenant(DataSource ds) throws Exception {
    StewardSchema.bootstrap(ds, 5);
    dev.steward.frequency.SendLog log =
        dev.steward.frequency.SendLog.empty()
            .with(
                new dev.steward.frequency.LedgerEntry(
                    dev.steward.frequency.LedgerEntry.Type.ACTIVITY, 5, null, null, "x", null));
    try (Connection c = ds.getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO steward_cap_ledger (subject, send_log, last_at) VALUES ('c:ada', ?, 5)")) {
      ps.setBytes(1, log.toBytes());
      ps.executeUpdate();
    }

    StewardSchema.bootstrap(ds);
    for (String statement : StewardSchema.statements(script(ds, "V7__cap_tenancy.sql"))) {
      try (Connection c = ds.getConnection();
          java.sql.Statement s = c.createStatement()) {
        s.execute(statement);
      }
    }

    JdbcCapLedgerStore store = JdbcCapLedgerStore.of(ds);
    dev.steward.frequency.SubjectKey old =
        dev.steward.frequency.SubjectKey.of(dev.steward.model.TenantId.of("default"), "c:ada");
    dev.steward.frequency.SubjectKey other =
        dev.steward.frequency.SubjectKey.of(dev.steward.model.TenantId.of("other"), "c:ada");
    assertThat(store.read(List.of(old, other)))
        .containsExactly(log, dev.steward.frequency.SendLog.empty());
    store.update(
        List.of(other), logs -> dev.steward.frequency.LedgerChange.write(null, List.of(log)));
    assertThat(store.eraseTenant(dev.steward.model.TenantId.of("default"))).isEqualTo(1);
    assertThat(store.read(List.of(other)).get(0)).isEqualTo(log);
  }

  @Test
  void capLedgerRowsOfAnH2DatabaseMoveToTheDefaultTenant() throws Exception {
    org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
    ds.setURL("jdbc:h2:mem:schema-cap-tenancy;DB_CLOSE_DELAY=-1");
    assertCapLedgerRowsMoveToTheDefaultTenant(ds);
  }

  @Test
  void capLedgerRowsOfAPostgresDatabaseMoveToTheDefaultTenant() throws Exception {
    assertCapLedgerRowsMoveToTheDefaultTenant(
        TestDatabase.freshPostgres(SCHEMA_TEST_PG).dataSource());
  }

  private static String firstLine(String statement) {
    return statement.lines().findFirst().orElse("");
  }
}
