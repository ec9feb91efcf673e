package dev.steward.jdbc;

import dev.steward.health.HealthBandStateStore;
import dev.steward.health.HealthBandStateStoreContract;

/**
 * The HealthBandStateStore contract against JdbcHealthBandStateStore on the embedded PostgreSQL
 * server.
 */
class JdbcHealthBandStateStorePostgresTest extends HealthBandStateStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

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
