package dev.steward.jdbc;

import dev.steward.journey.TaskStore;
import dev.steward.journey.TaskStoreContract;

/** The TaskStore contract against JdbcTaskStore on the embedded PostgreSQL server. */
class JdbcTaskStorePostgresTest extends TaskStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

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
