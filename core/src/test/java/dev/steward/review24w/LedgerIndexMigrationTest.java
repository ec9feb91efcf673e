package dev.steward.review24w;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.jdbc.JdbcDeliveryLedger;
import dev.steward.jdbc.Review24wDatabases;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Schema version 25 on a ledger that already holds records at version 24, built as its script
 * advises for a large ledger: the new indexes made CONCURRENTLY beforehand under its names. A
 * concurrent build that fails leaves an INVALID index under the name; CREATE INDEX IF NOT EXISTS
 * then found the name taken and did nothing, and the script dropped the old, valid indexes: the
 * account's listing and the contact's erasure were left with no usable index at all.
 */
class LedgerIndexMigrationTest {
  private static final TenantId T = TenantId.of("t1");

  @Test
  void aFailedConcurrentBuildUnderTheNewNameIsReplacedNotKept() throws SQLException {
    DataSource ds = Review24wDatabases.freshEmpty("review24w_ledger_v25");
    Review24wDatabases.bootstrapTo(ds, 24);
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      // a contact sent to twice: the concurrent build below fails on it, as a cancelled or
      // deadlocked one would, and leaves its index behind, INVALID
      s.execute(
          "INSERT INTO steward_delivery (tenant_id, idempotency_key, message_id, account_id,"
              + " contact_id, status, provider_message_id, created_at, updated_at)"
              + " SELECT 't1', 'key-' || i, 'm-' || i, 'acme', 'c-' || (i % 500), 'SENT', NULL,"
              + " 1, 1 FROM generate_series(0, 999) AS i");
      assertThatThrownBy(
              () ->
                  s.execute(
                      "CREATE UNIQUE INDEX CONCURRENTLY steward_delivery_by_contact"
                          + " ON steward_delivery (contact_id, tenant_id)"))
          .isInstanceOf(SQLException.class);
    }
    assertThat(validity(ds)).containsEntry("steward_delivery_by_contact", false);

    // every version after 24 applied (25 rebuilds the ledger's indexes)
    assertThat(StewardSchema.bootstrap(ds)).isEqualTo(StewardSchema.CURRENT_VERSION - 24);

    assertThat(validity(ds))
        .containsEntry("steward_delivery_by_contact", true)
        .containsEntry("steward_delivery_by_account", true)
        .doesNotContainKeys("steward_delivery_contact", "steward_delivery_account");
    DeliveryLedger ledger = JdbcDeliveryLedger.of(ds);
    assertThat(ledger.find(T, "key-7")).isPresent();
    assertThat(ledger.eraseContact(T, ContactId.of("c-7"))).isEqualTo(2);
    assertThat(
            ledger.forAccount(
                T, AccountId.of("acme"), Instant.EPOCH, Instant.parse("2030-01-01T00:00:00Z"), 5))
        .hasSize(5);
  }

  /** The delivery ledger's indexes, each with whether it is valid. */
  private static Map<String, Boolean> validity(DataSource ds) throws SQLException {
    Map<String, Boolean> out = new TreeMap<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c"
                    + " ON c.oid = i.indexrelid WHERE i.indrelid = 'steward_delivery'::regclass")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getBoolean(2));
      }
    }
    return out;
  }
}
