package dev.steward.jdbc;

import dev.steward.health.EngagementStore;
import dev.steward.health.EngagementStoreContract;

/** The EngagementStore contract against JdbcEngagementStore on the embedded PostgreSQL. */
class JdbcEngagementStorePostgresTest extends EngagementStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected EngagementStore newStore() {
    DB.clear();
    return JdbcEngagementStore.create(DB.dataSource());
  }

  @Override
  protected EngagementStore secondInstance() {
    return JdbcEngagementStore.create(DB.dataSource());
  }
}
