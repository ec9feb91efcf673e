package dev.steward.jdbc;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryLedgerContract;

/** The DeliveryLedger contract against JdbcDeliveryLedger on the embedded PostgreSQL server. */
class JdbcDeliveryLedgerPostgresTest extends DeliveryLedgerContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected DeliveryLedger newStore() {
    DB.clear();
    return JdbcDeliveryLedger.create(DB.dataSource());
  }

  @Override
  protected DeliveryLedger secondInstance() {
    return JdbcDeliveryLedger.create(DB.dataSource());
  }
}
