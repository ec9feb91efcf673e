package dev.steward.review3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.InMemoryDeliveryLedger;
import dev.steward.delivery.SendResult;
import dev.steward.jdbc.JdbcDeliveryLedger;
import dev.steward.jdbc.JdbcWorkStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of schema version 10 (V10__ledger_tenancy.sql) on a database that holds records
 * written before it. The script gives every old record to tenant {@code 'default'}, whatever tenant
 * really sent it; the dispatcher now looks records up by (tenant, key). Every tenant not literally
 * named "default" loses its in-flight records at the upgrade. The H2 and PostgreSQL scripts are the
 * same statements; H2 shows it here.
 */
class Review3LedgerMigrationTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));

  /** A fresh H2 database at schema version 5: what the previous release left. */
  private static DataSource databaseAtVersion5() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review3-v10-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    Method bootstrap =
        StewardSchema.class.getDeclaredMethod("bootstrap", DataSource.class, int.class);
    bootstrap.setAccessible(true);
    bootstrap.invoke(null, ds, 5);
    return ds;
  }

  /** A record as the release before version 10 wrote it (no tenant, account or contact). */
  private static void oldRecord(DataSource ds, String key, MessageId id, String status, Instant at)
      throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO steward_delivery_ledger"
                    + " (idempotency_key, message_id, status, provider_message_id, updated_at)"
                    + " VALUES (?, ?, ?, NULL, ?)")) {
      s.setString(1, key);
      s.setString(2, id.value());
      s.setString(3, status);
      s.setLong(4, at.getEpochSecond() * 1_000_000_000L + at.getNano());
      s.executeUpdate();
    }
  }

  private Message receipt(MessageId id, String key) {
    return Message.builder()
        .id(id)
        .idempotencyKey(key)
        .tenant(ACME)
        .account(AccountId.of("acct"))
        .contact(ContactId.of("ada"))
        .to("ada@acme.example")
        .recipientZone(ZoneOffset.UTC)
        .kind(MessageKind.TRANSACTIONAL)
        .category("receipts")
        .source(Source.BILLING)
        .createdAt(clock.instant())
        .build();
  }

  /**
   * A message whose send the provider refused with "try again later" before the upgrade is
   * RETRYING, and its retry waits as work of tenant acme. After the upgrade the retry looks for
   * (acme, key), finds nothing (the record is now default's), writes an intent, hits the unique
   * message id of the moved record and answers DUPLICATE: the message is never sent and its record
   * stays RETRYING for good. A password reset or a receipt is silently lost by upgrading.
   */
  @Test
  void aRetryPendingAtTheUpgradeIsNeverSent() throws Exception {
    assertRetryPendingAtTheUpgradeIsSent(databaseAtVersion5());
  }

  /** The same on PostgreSQL, where version 10 runs in one transaction. */
  @Test
  void aRetryPendingAtTheUpgradeIsNeverSentOnPostgres() throws Exception {
    Class<?> testDatabase = Class.forName("dev.steward.jdbc.TestDatabase");
    Method fresh = testDatabase.getDeclaredMethod("freshPostgres", String.class);
    fresh.setAccessible(true);
    Object db = fresh.invoke(null, "review3_v10_retry");
    Method dataSource = db.getClass().getDeclaredMethod("dataSource");
    dataSource.setAccessible(true);
    DataSource ds = (DataSource) dataSource.invoke(db);
    Method bootstrap =
        StewardSchema.class.getDeclaredMethod("bootstrap", DataSource.class, int.class);
    bootstrap.setAccessible(true);
    bootstrap.invoke(null, ds, 5);
    assertRetryPendingAtTheUpgradeIsSent(ds);
  }

  private void assertRetryPendingAtTheUpgradeIsSent(DataSource ds) throws Exception {
    JdbcWorkStore work = JdbcWorkStore.of(ds);
    Message m = receipt(MessageId.of("m-retry"), "receipt-4711");
    // the previous release: the provider answers 429, the retry is scheduled as acme's work
    Dispatcher before =
        Dispatcher.builder(
                RecordingTransport.of()
                    .respondWith(x -> SendResult.retryable(null, "429 too many requests")),
                clock)
            .workStore(work)
            .ledger(InMemoryDeliveryLedger.of())
            .build();
    assertThat(before.dispatch(m).status()).isEqualTo(DispatchStatus.DEFERRED);
    oldRecord(ds, m.idempotencyKey(), m.id(), "RETRYING", clock.instant());

    StewardSchema.bootstrap(ds);
    RecordingTransport transport = RecordingTransport.of();
    java.util.List<DispatchStatus> results = new java.util.concurrent.CopyOnWriteArrayList<>();
    Dispatcher after =
        Dispatcher.builder(transport, clock)
            .workStore(work)
            .ledger(JdbcDeliveryLedger.of(ds))
            .listener(
                new dev.steward.delivery.DispatchListener() {
                  @Override
                  public void onResult(dev.steward.delivery.DispatchResult r) {
                    results.add(r.status());
                  }
                })
            .build();
    WorkRunner runner = after.registerWith(WorkRunner.builder(work, clock)).build();
    clock.advance(Duration.ofHours(2));
    runner.runDue();

    assertThat(transport.sent())
        .as("the pending retry goes out after the upgrade; it ended %s", results)
        .contains(m);
  }

  /**
   * A send whose outcome was unknown before the upgrade waits, as acme's work, for a provider
   * event, and is kept DEAD for operators if none comes. After the upgrade its next check looks up
   * (acme, key), finds nothing and ends the wait as if settled: the item is gone, nothing is kept
   * for an operator, and the record stays UNKNOWN under 'default' for good.
   */
  @Test
  void anUnknownOutcomeWaitingAtTheUpgradeStopsBeingWatched() throws Exception {
    DataSource ds = databaseAtVersion5();
    JdbcWorkStore work = JdbcWorkStore.of(ds);
    Message m = receipt(MessageId.of("m-unknown"), "receipt-4712");
    Dispatcher before =
        Dispatcher.builder(
                RecordingTransport.of().respondWith(x -> SendResult.unknown("read time-out")),
                clock)
            .workStore(work)
            .ledger(InMemoryDeliveryLedger.of())
            .build();
    assertThat(before.dispatch(m).status()).isEqualTo(DispatchStatus.UNKNOWN);
    oldRecord(ds, m.idempotencyKey(), m.id(), "UNKNOWN", clock.instant());

    StewardSchema.bootstrap(ds);
    Dispatcher after =
        Dispatcher.builder(RecordingTransport.of(), clock)
            .workStore(work)
            .ledger(JdbcDeliveryLedger.of(ds))
            .build();
    WorkRunner runner = after.registerWith(WorkRunner.builder(work, clock)).build();
    clock.advance(Dispatcher.DEFAULT_SETTLE_CHECK.plusMinutes(1));
    runner.runDue();

    assertThat(after.deferred(ACME, m.id()))
        .as("the unsettled send is still watched (and would be kept DEAD after 48 h)")
        .isPresent();
  }

  /**
   * An idempotency key settled before the upgrade: no table says which tenant sent it, so version
   * 10 gives it to tenant 'default', where it keeps guarding a resend (the review proved that
   * acme's own resend under the key is no longer a duplicate; that is the documented limit of
   * upgrading records written before tenancy, kept in the script's comment and the notes).
   */
  @Test
  void anIdempotencyKeySettledBeforeTheUpgradeKeepsGuardingUnderTheDefaultTenant()
      throws Exception {
    DataSource ds = databaseAtVersion5();
    oldRecord(ds, "receipt-4713", MessageId.of("m-first"), "SENT", clock.instant());

    StewardSchema.bootstrap(ds);
    RecordingTransport transport = RecordingTransport.of();
    Dispatcher after =
        Dispatcher.builder(transport, clock)
            .workStore(JdbcWorkStore.of(ds))
            .ledger(JdbcDeliveryLedger.of(ds))
            .build();
    Message again =
        Message.builder()
            .id(MessageId.of("m-again"))
            .idempotencyKey("receipt-4713")
            .tenant(TenantId.of("default"))
            .account(AccountId.of("acct"))
            .contact(ContactId.of("c-1"))
            .to("c-1@example.com")
            .recipientZone(ZoneOffset.UTC)
            .kind(MessageKind.TRANSACTIONAL)
            .category("receipts")
            .source(Source.BILLING)
            .createdAt(clock.instant())
            .build();

    assertThat(after.dispatch(again).status()).isEqualTo(DispatchStatus.DUPLICATE);
    assertThat(transport.sent()).isEmpty();
  }
}
