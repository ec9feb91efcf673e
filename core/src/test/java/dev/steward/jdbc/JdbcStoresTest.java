package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.delivery.DispatchStatus;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class JdbcStoresTest {
  private static JdbcDataSource h2(String name) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  @Test
  void aDatabaseWithoutTheSchemaIsRefusedAtStartUpNamingTheFix() {
    assertThatThrownBy(() -> JdbcStores.of(h2("stores-empty")))
        .isInstanceOf(SchemaMissingException.class)
        .hasMessageContaining("StewardSchema.bootstrap(dataSource)")
        .hasMessageContaining(
            "no Steward schema: neither the version table steward_schema_version");
  }

  @Test
  void anOlderSchemaIsRefusedNamingTheMissingVersions() {
    JdbcDataSource ds = h2("stores-old");
    StewardSchema.bootstrap(ds, 3);

    assertThatThrownBy(() -> JdbcStores.of(ds))
        .isInstanceOf(SchemaMissingException.class)
        .hasMessageContaining(
            StewardSchema.versions().stream().filter(v -> v > 3).toList().toString());
  }

  @Test
  void aCurrentSchemaHasNoProblemsAndEveryProbedTableIsOneTheTestsKnow() {
    JdbcDataSource ds = h2("stores-current");
    StewardSchema.bootstrap(ds);

    assertThat(StewardSchema.problems(ds)).isEmpty();
    assertThat(TestDatabase.TABLES).containsAll(StewardSchema.PROBES.keySet());
  }

  @Test
  void theStoresCarryTheJdbcOnboardingPilotAndPoolStoresAndAMissingTableOfThemIsNamed()
      throws Exception {
    JdbcDataSource ds = h2("stores-onboarding");
    Stores stores = JdbcStores.bootstrapped(ds);
    assertThat(stores.onboarding()).isInstanceOf(JdbcOnboardingStore.class);
    assertThat(stores.pilot()).isInstanceOf(JdbcPilotStore.class);
    assertThat(stores.poolAssignments()).isInstanceOf(JdbcPoolAssignmentStore.class);
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE " + StewardSchema.VERSION_TABLE);
    }
    assertThat(StewardSchema.problems(ds))
        .as("every probe passes on the scripts' tables")
        .isEmpty();

    for (String table :
        List.of("steward_onboarding", "steward_pilot_day", "steward_ippool_change")) {
      JdbcDataSource broken = h2("stores-without-" + table);
      StewardSchema.bootstrap(broken);
      try (Connection c = broken.getConnection();
          Statement st = c.createStatement()) {
        // the scripts run by another migration tool (no version table): the probes judge
        st.execute("DROP TABLE " + StewardSchema.VERSION_TABLE);
        st.execute("DROP TABLE " + table);
      }
      assertThatThrownBy(() -> JdbcStores.of(broken))
          .isInstanceOf(SchemaMissingException.class)
          .hasMessageContaining("table " + table);
    }
  }

  @Test
  void aBootstrappedDatabaseServesAWholeStewardOnPostgres() {
    Stores stores =
        JdbcStores.bootstrapped(TestDatabase.freshPostgres("steward_jdbc_stores").dataSource());
    SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T15:00:00Z"));
    RecordingTransport transport = RecordingTransport.of();
    Steward steward = Steward.builder(clock).stores(stores).transport(transport).build();

    Message m =
        Message.builder()
            .tenant(TenantId.of("t"))
            .account(AccountId.of("a"))
            .contact(ContactId.of("c"))
            .to("c@example.com")
            .recipientZone(ZoneId.of("UTC"))
            .kind(MessageKind.TRANSACTIONAL)
            .category("receipts")
            .source(Source.BILLING)
            .createdAt(clock.instant())
            .build();

    assertThat(steward.dispatch(m).status()).isEqualTo(DispatchStatus.SENT);
    assertThat(stores.ledger().find(m.tenant(), m.idempotencyKey())).isPresent();
    assertThat(transport.sent()).containsExactly(m);
  }
}
