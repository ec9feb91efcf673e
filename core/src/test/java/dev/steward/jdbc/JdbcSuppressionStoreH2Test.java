package dev.steward.jdbc;

import dev.steward.consent.SuppressionStore;
import dev.steward.consent.SuppressionStoreContract;

/** The SuppressionStore contract against JdbcSuppressionStore on an in-memory H2 database. */
class JdbcSuppressionStoreH2Test extends SuppressionStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcSuppressionStoreH2Test.class);

  @Override
  protected SuppressionStore newStore() {
    DB.clear();
    return JdbcSuppressionStore.of(DB.dataSource());
  }

  @Override
  protected SuppressionStore secondInstance() {
    return JdbcSuppressionStore.of(DB.dataSource());
  }
}
