package dev.steward.jdbc;

import dev.steward.health.EngagementStore;
import dev.steward.health.EngagementStoreContract;

/** The EngagementStore contract against JdbcEngagementStore on the embedded PostgreSQL. */
class JdbcEngagementStorePostgresTest extends EngagementStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected EngagementStore newStore() {
    DB.clear();
    return JdbcEngagementStore.of(DB.dataSource());
  }

  @Override
  protected EngagementStore secondInstance() {
    return JdbcEngagementStore.of(DB.dataSource());
  }
}
