package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.consent.ContactConsent;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Schema version 6 keys consent by tenant: a database written before it keeps its consent, under
 * the tenant 'default', and running the script again changes nothing.
 */
class JdbcConsentMigrationTest {
  private static final String OLD_DOCUMENT =
      "{\"format\":1,\"contact\":\"ada\",\"optedOutAt\":\"2026-01-01T00:00:00Z\","
          + "\"subscriptions\":{},\"records\":[{\"action\":\"WITHDRAWN\","
          + "\"source\":\"preference-centre\",\"at\":\"2026-01-01T00:00:00Z\"}]}";

  @Test
  void anH2ConsentTableUpgradesToTheDefaultTenant() throws SQLException {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:consent-migration;DB_CLOSE_DELAY=-1");
    assertOldConsentIsKept(ds, "h2");
  }

  @Test
  void aPostgresConsentTableUpgradesToTheDefaultTenant() throws SQLException {
    assertOldConsentIsKept(
        TestDatabase.freshPostgres("steward_consent_migration").dataSource(), "postgresql");
  }

  private static void assertOldConsentIsKept(DataSource ds, String dialect) throws SQLException {
    StewardSchema.bootstrap(ds, 5);
    try (Connection c = ds.getConnection()) {
      Jdbc.update(
          c,
          "INSERT INTO steward_consent (contact_id, document) VALUES (?, ?)",
          "ada",
          OLD_DOCUMENT);
    }

    assertThat(StewardSchema.bootstrap(ds))
        .isEqualTo(StewardSchema.versions().stream().filter(v -> v > 5).count());
    // the script is idempotent: run again by hand (as a user's own migration tool might)
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String sql :
          StewardSchema.statements("dev/steward/jdbc/" + dialect + "/V6__consent_tenancy.sql")) {
        s.execute(sql);
      }
    }

    JdbcConsentStore store = JdbcConsentStore.of(ds);
    ContactConsent kept = store.find(TenantId.of("default"), ContactId.of("ada")).orElseThrow();
    assertThat(kept.tenant()).isEqualTo(TenantId.of("default"));
    assertThat(kept.optedOut()).isTrue();
    assertThat(store.find(TenantId.of("acme"), ContactId.of("ada"))).isEmpty();
    // a second tenant may now hold the same contact id beside it
    store.update(
        TenantId.of("acme"),
        ContactId.of("ada"),
        c ->
            new ContactConsent(
                c.tenant(),
                c.contact(),
                kept.optedOutAt().orElse(null),
                c.subscriptions(),
                c.records()));
    assertThat(store.find(TenantId.of("acme"), ContactId.of("ada")).orElseThrow().optedOut())
        .isTrue();
    assertThat(store.find(TenantId.of("default"), ContactId.of("ada"))).contains(kept);
    // the tenant column has no default left: a write that names no tenant fails
    try (Connection c = ds.getConnection()) {
      assertThatThrownBy(
              () ->
                  Jdbc.update(
                      c,
                      "INSERT INTO steward_consent (contact_id, document) VALUES (?, ?)",
                      "bob",
                      OLD_DOCUMENT))
          .isInstanceOf(SQLException.class);
    }
  }
}
