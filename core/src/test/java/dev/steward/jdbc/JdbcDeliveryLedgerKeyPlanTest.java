package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Schema version 25: a look-up of a delivery record by its key goes through the primary key even
 * with the statistics of an empty table (analysed before the sends, as on a new database until
 * autovacuum analyses it again). At version 24 PostgreSQL 17 took the (tenant, contact) index and
 * filtered every record of the tenant: the second test shows the first can fail. The batched
 * look-up by keys ({@link JdbcDeliveryLedger#FIND_ALL_SQL}) takes the primary key too in the
 * generic plan PostgreSQL may keep once the driver server-prepares it; the IN list of keys it
 * replaced read the table through the account index.
 */
class JdbcDeliveryLedgerKeyPlanTest {
  private static final TenantId TENANT = TenantId.of("t1");
  private static final String LOOKUP =
      "EXPLAIN SELECT status FROM steward_delivery WHERE tenant_id = ? AND idempotency_key = ?";
  private static final String IN_LIST =
      "SELECT * FROM steward_delivery WHERE tenant_id = ? AND idempotency_key IN (?, ?, ?)";
  // the records of 1,000 sends of the tenant, each to a contact of its own
  private static final String SENDS =
      "INSERT INTO steward_delivery (tenant_id, idempotency_key, message_id, account_id,"
          + " contact_id, status, provider_message_id, created_at, updated_at)"
          + " SELECT 't1', 'key-' || i, 'm-' || i, 'acme', 'c-' || i, 'SENT', NULL, 1, 1"
          + " FROM generate_series(0, 999) AS i";

  @Test
  void atVersion25AKeyLookUpUsesThePrimaryKeyWhateverTheStatistics() throws SQLException {
    DataSource ds = TestDatabase.freshPostgres("steward_ledger_plan_25").dataSource();
    StewardSchema.bootstrap(ds);
    assertThat(planAfterSendsOnAnEmptyAnalysedTable(ds)).contains("steward_delivery_pkey");
  }

  @Test
  void atVersion24TheSameLookUpScannedTheTenantThroughAnotherIndex() throws SQLException {
    DataSource ds = TestDatabase.freshPostgres("steward_ledger_plan_24").dataSource();
    StewardSchema.bootstrap(ds, 24);
    assertThat(planAfterSendsOnAnEmptyAnalysedTable(ds))
        .doesNotContain("steward_delivery_pkey")
        .contains("Filter");
  }

  @Test
  void theBatchedLookUpUsesThePrimaryKeyInAGenericPlanWhateverTheStatistics() throws SQLException {
    String plan =
        genericPlanAfterSends(
            "steward_ledger_batch_plan", JdbcDeliveryLedger.FIND_ALL_SQL, "'{key-1,key-2}', 't1'");
    assertThat(plan).contains("steward_delivery_pkey").doesNotContain("steward_delivery_by_");
  }

  @Test
  void anInListOfKeysWasPlannedThroughTheAccountIndex() throws SQLException {
    String plan =
        genericPlanAfterSends("steward_ledger_in_plan", IN_LIST, "'t1', 'key-1', 'key-2', 'key-3'");
    assertThat(plan)
        .doesNotContain("steward_delivery_pkey")
        .contains("steward_delivery_by_account");
  }

  @Test
  void theMigrationKeepsTheRecordsAndTheAccountListing() throws SQLException {
    DataSource ds = TestDatabase.freshPostgres("steward_ledger_plan_up").dataSource();
    StewardSchema.bootstrap(ds, 24);
    DeliveryLedger before = JdbcDeliveryLedger.of(ds);
    Instant at = Instant.parse("2026-11-28T04:00:00Z");
    before.recordIntent(message(1), at);
    assertThat(StewardSchema.bootstrap(ds, 25)).isEqualTo(1);
    DeliveryLedger after = JdbcDeliveryLedger.of(ds);
    assertThat(after.find(TENANT, "key-1")).isPresent();
    assertThat(
            after.forAccount(
                TENANT, AccountId.of("acme"), at.minusSeconds(1), at.plusSeconds(1), 10))
        .hasSize(1);
    assertThat(indexes(ds))
        .contains("steward_delivery_by_account", "steward_delivery_by_contact")
        .doesNotContain("steward_delivery_account", "steward_delivery_contact");
  }

  private static String planAfterSendsOnAnEmptyAnalysedTable(DataSource ds) throws SQLException {
    return KeyPlans.afterFillingAnEmptyAnalysedTable(
        ds, "steward_delivery", SENDS, LOOKUP, TENANT.value(), "key-500");
  }

  /** The generic plan of {@code sql} on a new database at the current version after the sends. */
  private static String genericPlanAfterSends(String database, String sql, String arguments)
      throws SQLException {
    DataSource ds = TestDatabase.freshPostgres(database).dataSource();
    StewardSchema.bootstrap(ds);
    return KeyPlans.genericPlanAfterFillingAnEmptyAnalysedTable(
        ds, "steward_delivery", SENDS, sql, arguments);
  }

  private static List<String> indexes(DataSource ds) throws SQLException {
    return KeyPlans.indexes(ds, "steward_delivery");
  }

  private static Message message(int i) {
    return Message.builder()
        .id(MessageId.of("m-" + i))
        .idempotencyKey("key-" + i)
        .tenant(TENANT)
        .account(AccountId.of("acme"))
        .contact(ContactId.of("c-" + i))
        .to(EmailAddress.of("c" + i + "@example.com"))
        .kind(MessageKind.TRANSACTIONAL)
        .category("c")
        .source(dev.steward.model.Source.MARKETING)
        .templateId("t")
        .createdAt(Instant.parse("2026-11-28T04:00:00Z"))
        .build();
  }
}
