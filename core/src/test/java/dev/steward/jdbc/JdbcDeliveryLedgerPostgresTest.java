package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryLedgerContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DeliveryLedger contract against JdbcDeliveryLedger on the embedded PostgreSQL server. */
class JdbcDeliveryLedgerPostgresTest extends DeliveryLedgerContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected DeliveryLedger newStore() {
    DB.clear();
    return JdbcDeliveryLedger.of(DB.dataSource());
  }

  @Override
  protected DeliveryLedger secondInstance() {
    return JdbcDeliveryLedger.of(DB.dataSource());
  }

  /**
   * Hostile review (rb7): findAll sends the keys as one array, so no bind-parameter limit caps it:
   * 100,000 keys, each named twice, answer exactly the records among them, of this tenant only.
   */
  @Test
  void findAllOverAHundredThousandKeysNamedTwiceAnswersExactlyTheRecordedOnes() {
    DeliveryLedger ledger = newStore();
    List<dev.steward.model.Message> sent = new ArrayList<>();
    for (int i = 0; i < 100_000; i += 997) {
      sent.add(DeliveryLedgerContract.messageOf("t1", "a1", "c1", "m-" + i, "k-" + i));
      sent.add(DeliveryLedgerContract.messageOf("t2", "a1", "c1", "n-" + i, "k-" + (i + 1)));
    }
    ledger.recordIntents(sent, T0);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      keys.add("k-" + i);
    }
    keys.addAll(keys);

    var found = ledger.findAll(dev.steward.model.TenantId.of("t1"), keys);

    assertThat(found).hasSize(101);
    assertThat(found)
        .allSatisfy((k, r) -> assertThat(r.messageId().value()).isEqualTo("m-" + k.substring(2)));
  }

  /**
   * Hostile review (rb7): findAll's statement is marked safe to repeat; after a lost connection the
   * repeat builds its array of keys again on the new connection and answers as if none was lost.
   */
  @Test
  void findAllRidesOutALostConnectionWithTheArrayBuiltAgain() {
    DeliveryLedger ledger = newStore();
    ledger.recordIntent(DeliveryLedgerContract.messageOf("t1", "a1", "c1", "m-1", "k,1"), T0);
    FlakyDataSource flaky = new FlakyDataSource(DB.dataSource());
    DeliveryLedger reader =
        JdbcDeliveryLedger.of(
            flaky, JdbcRetryPolicy.builder().backoffBase(java.time.Duration.ZERO).build());
    reader.find(dev.steward.model.TenantId.of("t1"), "warm-up"); // the dialect detected first
    flaky.statement().fail(1, "08006");

    assertThat(reader.findAll(dev.steward.model.TenantId.of("t1"), List.of("k,1", "k-2")))
        .containsOnlyKeys("k,1");
    assertThat(flaky.statement().calls()).isEqualTo(2);
  }

  /**
   * Measured on 50,000 rows with 200 open: without the index a Seq Scan (estimated cost 1124); with
   * it a Bitmap Index Scan on steward_delivery_status (estimated cost 301).
   */
  @Test
  void theSweepForUnsettledSendsReadsTheStatusIndex() throws SQLException {
    List<String> plan = new ArrayList<>();
    try (Connection c = DB.dataSource().getConnection()) {
      try (Statement s = c.createStatement()) {
        // a ledger as it looks in use: 50,000 settled sends and a hundred open ones
        s.execute(
            "INSERT INTO steward_delivery (tenant_id, idempotency_key, message_id, account_id,"
                + " contact_id, status, provider_message_id, created_at, updated_at)"
                + " SELECT 't', 'k-' || i, 'm-' || i, 'a', 'c',"
                + " CASE WHEN i % 500 = 0 THEN 'UNKNOWN' WHEN i % 500 = 1 THEN 'SENDING'"
                + " WHEN i % 7 = 0 THEN 'FAILED' ELSE 'SENT' END, NULL, i, i"
                + " FROM generate_series(1, 50000) AS i");
        s.execute("ANALYZE steward_delivery");
      }
      try (PreparedStatement ps =
          c.prepareStatement("EXPLAIN " + JdbcDeliveryLedger.UNSETTLED_SQL)) {
        Jdbc.bind(ps, "SENDING", "UNKNOWN", 40_000L, 100);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            plan.add(rs.getString(1));
          }
        }
      }
    }

    assertThat(String.join("\n", plan))
        .as("the plan")
        .contains("steward_delivery_status")
        .doesNotContain("Seq Scan");
  }
}
