package dev.steward.jdbc;

import dev.steward.health.HealthBandStateStore;
import dev.steward.health.HealthBandStateStoreContract;

/**
 * The HealthBandStateStore contract against JdbcHealthBandStateStore on an in-memory H2 database.
 */
class JdbcHealthBandStateStoreH2Test extends HealthBandStateStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcHealthBandStateStoreH2Test.class);

  @Override
  protected HealthBandStateStore newStore() {
    DB.clear();
    return JdbcHealthBandStateStore.of(DB.dataSource(), "colours");
  }

  @Override
  protected HealthBandStateStore secondInstance() {
    return JdbcHealthBandStateStore.of(DB.dataSource(), "colours");
  }
}
