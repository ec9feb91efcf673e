package dev.steward.jdbc;

import dev.steward.health.EngagementStore;
import dev.steward.health.EngagementStoreContract;

/** The EngagementStore contract against JdbcEngagementStore on an in-memory H2 database. */
class JdbcEngagementStoreH2Test extends EngagementStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcEngagementStoreH2Test.class);

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
