package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DeliveryRecord;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Schema version 4 makes the message id unique in the delivery ledger; a database written before it
 * may hold one message id under several keys, and must upgrade without losing any key's guard.
 */
class JdbcDeliveryLedgerMigrationTest {
  /** Version 10 gives every record written before tenancy to this tenant. */
  private static final TenantId OLD_ROWS = TenantId.of("default");

  @Test
  void anH2LedgerWithDuplicateMessageIdsUpgrades() throws SQLException {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:ledger-migration;DB_CLOSE_DELAY=-1");
    assertDuplicatesAreResolved(ds);
  }

  @Test
  void aPostgresLedgerWithDuplicateMessageIdsUpgrades() throws SQLException {
    assertDuplicatesAreResolved(
        TestDatabase.freshPostgres("steward_ledger_migration").dataSource());
  }

  private static void assertDuplicatesAreResolved(DataSource ds) throws SQLException {
    StewardSchema.bootstrap(ds, 2);
    try (Connection c = ds.getConnection()) {
      insert(c, "k-a", "m-1", DeliveryStatus.SENT, 5);
      insert(c, "k-b", "m-1", DeliveryStatus.SENDING, 3);
      insert(c, "k-c", "m-1", DeliveryStatus.UNKNOWN, 3);
      insert(c, "k-d", "m-2", DeliveryStatus.SENT, 1);
    }

    StewardSchema.bootstrap(ds);

    JdbcDeliveryLedger ledger = JdbcDeliveryLedger.of(ds);
    assertThat(ledger.findByMessage(MessageId.of("m-1")))
        .as("the earliest record keeps the message id")
        .map(DeliveryRecord::idempotencyKey)
        .contains("k-b");
    assertThat(ledger.findByMessage(MessageId.of("m-2")))
        .map(DeliveryRecord::idempotencyKey)
        .contains("k-d");
    DeliveryRecord a = ledger.find(OLD_ROWS, "k-a").orElseThrow();
    DeliveryRecord c = ledger.find(OLD_ROWS, "k-c").orElseThrow();
    assertThat(a.messageId().value()).startsWith("steward-superseded:");
    assertThat(c.messageId().value()).startsWith("steward-superseded:");
    assertThat(a.messageId()).isNotEqualTo(c.messageId());
    assertThat(a.status()).isEqualTo(DeliveryStatus.SENT);
    // the renamed records still guard their keys, and the unique index now refuses a new key
    assertThat(ledger.recordIntent(message("m-9", "k-a"), Instant.EPOCH)).isFalse();
    assertThat(ledger.recordIntent(message("m-1", "k-new"), Instant.EPOCH)).isFalse();
    assertThat(ledger.find(OLD_ROWS, "k-new")).isEmpty();
    // version 10 kept what it could not know visible as such, and the intent time as the last
    // change
    assertThat(a.account()).isEqualTo(AccountId.of("unknown-before-v10"));
    assertThat(a.contact()).isEqualTo(ContactId.of("unknown-before-v10"));
    assertThat(a.createdAt()).isEqualTo(a.updatedAt());
    // another tenant may now use the same idempotency key
    Message otherTenant =
        Message.builder()
            .id(MessageId.of("m-other"))
            .idempotencyKey("k-a")
            .tenant(TenantId.of("other"))
            .account(AccountId.of("acme"))
            .contact(ContactId.of("c-1"))
            .to("c-1@example.com")
            .kind(MessageKind.TRANSACTIONAL)
            .category("receipts")
            .source(Source.BILLING)
            .createdAt(Instant.EPOCH)
            .build();
    assertThat(ledger.recordIntent(otherTenant, Instant.EPOCH)).isTrue();
  }

  private static void insert(
      Connection c, String key, String messageId, DeliveryStatus status, long updatedAt)
      throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO steward_delivery_ledger"
            + " (idempotency_key, message_id, status, provider_message_id, updated_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        key,
        messageId,
        status.name(),
        Jdbc.TypedNull.VARCHAR,
        updatedAt);
  }

  private static Message message(String id, String key) {
    return Message.builder()
        .id(MessageId.of(id))
        .idempotencyKey(key)
        .tenant(OLD_ROWS)
        .account(AccountId.of("acme"))
        .contact(ContactId.of("c-1"))
        .to("c-1@example.com")
        .kind(MessageKind.TRANSACTIONAL)
        .category("receipts")
        .source(Source.BILLING)
        .createdAt(Instant.EPOCH)
        .build();
  }
}
