package dev.steward.jdbc;

import dev.steward.consent.SuppressionStore;
import dev.steward.consent.SuppressionStoreContract;

/** The SuppressionStore contract against JdbcSuppressionStore on the embedded PostgreSQL server. */
class JdbcSuppressionStorePostgresTest extends SuppressionStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

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
