package dev.steward.jdbc;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryLedgerContract;

/** The DeliveryLedger contract against JdbcDeliveryLedger on an in-memory H2 database. */
class JdbcDeliveryLedgerH2Test extends DeliveryLedgerContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcDeliveryLedgerH2Test.class);

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
