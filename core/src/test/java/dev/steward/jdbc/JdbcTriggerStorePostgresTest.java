package dev.steward.jdbc;

import dev.steward.journey.TriggerStore;
import dev.steward.journey.TriggerStoreContract;

/** The TriggerStore contract against JdbcTriggerStore on the embedded PostgreSQL server. */
class JdbcTriggerStorePostgresTest extends TriggerStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected TriggerStore newStore() {
    DB.clear();
    return JdbcTriggerStore.of(DB.dataSource());
  }

  @Override
  protected TriggerStore secondInstance() {
    return JdbcTriggerStore.of(DB.dataSource());
  }
}
