package dev.steward.jdbc;

import dev.steward.journey.TaskStore;
import dev.steward.journey.TaskStoreContract;

/** The TaskStore contract against JdbcTaskStore on an in-memory H2 database. */
class JdbcTaskStoreH2Test extends TaskStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcTaskStoreH2Test.class);

  @Override
  protected TaskStore newStore() {
    DB.clear();
    return JdbcTaskStore.of(DB.dataSource());
  }

  @Override
  protected TaskStore secondInstance() {
    return JdbcTaskStore.of(DB.dataSource());
  }
}
