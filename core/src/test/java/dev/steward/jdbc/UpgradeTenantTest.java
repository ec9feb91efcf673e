package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Rows written before tenancy go to the tenant the upgrade names, in every store, once. */
class UpgradeTenantTest {

  private static DataSource atVersion5(String name) throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:upgrade-tenant-" + name + ";DB_CLOSE_DELAY=-1");
    StewardSchema.bootstrap(ds, 5);
    try (Connection c = ds.getConnection()) {
      Jdbc.update(
          c, "INSERT INTO steward_consent (contact_id, document) VALUES (?, ?)", "ada", "{}");
      Jdbc.update(
          c,
          "INSERT INTO steward_cap_ledger (subject, send_log) VALUES (?, ?)",
          "c:ada",
          new byte[] {1});
      Jdbc.update(
          c,
          "INSERT INTO steward_calendar_entry (entry_id, entry_type, status, account_id,"
              + " contact_id, occurs_at) VALUES (?, ?, ?, ?, ?, ?)",
          "e-1",
          "COMPLAINT",
          "RECORDED",
          "acct",
          "ada",
          0L);
    }
    return ds;
  }

  private static List<String> tenants(DataSource ds, String table) throws Exception {
    try (Connection c = ds.getConnection()) {
      return Jdbc.query(c, "SELECT tenant_id FROM " + table, rs -> rs.getString(1));
    }
  }

  @Test
  void theNamedTenantReceivesTheOlderRowsOfEveryStore() throws Exception {
    DataSource ds = atVersion5("named");

    StewardSchema.bootstrap(ds, TenantId.of("acme"));

    for (String table :
        List.of("steward_consent", "steward_cap_ledger", "steward_calendar_entry")) {
      assertThat(tenants(ds, table)).as(table).containsExactly("acme");
    }
  }

  @Test
  void withoutATenantTheRowsStayUnderDefaultAndALaterBootstrapMovesNothing() throws Exception {
    DataSource ds = atVersion5("default");

    StewardSchema.bootstrap(ds);
    StewardSchema.bootstrap(ds, TenantId.of("acme")); // nothing left to apply: nothing moves

    assertThat(tenants(ds, "steward_consent")).containsExactly("default");
    assertThat(tenants(ds, "steward_cap_ledger")).containsExactly("default");
  }

  @Test
  void aNullTenantIsRefusedBeforeAnythingIsApplied() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:upgrade-tenant-null;DB_CLOSE_DELAY=-1");

    assertThatThrownBy(() -> StewardSchema.bootstrap(ds, (TenantId) null))
        .isInstanceOf(InvalidStoreInputException.class)
        .hasMessageContaining("tenantOfOlderRows");
    assertThat(StewardSchema.problems(ds)).isNotEmpty();
  }
}
