package dev.steward.jdbc;

import dev.steward.health.HealthHistoryStore;
import dev.steward.health.HealthHistoryStoreContract;

/** The HealthHistoryStore contract against JdbcHealthHistoryStore on an in-memory H2 database. */
class JdbcHealthHistoryStoreH2Test extends HealthHistoryStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcHealthHistoryStoreH2Test.class);

  @Override
  protected HealthHistoryStore newStore() {
    DB.clear();
    return JdbcHealthHistoryStore.of(DB.dataSource());
  }
}
