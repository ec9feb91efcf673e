package dev.steward.jdbc;

import dev.steward.health.HealthHistoryStore;
import dev.steward.health.HealthHistoryStoreContract;

/** The HealthHistoryStore contract against JdbcHealthHistoryStore on the embedded PostgreSQL. */
class JdbcHealthHistoryStorePostgresTest extends HealthHistoryStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected HealthHistoryStore newStore() {
    DB.clear();
    return JdbcHealthHistoryStore.of(DB.dataSource());
  }
}
