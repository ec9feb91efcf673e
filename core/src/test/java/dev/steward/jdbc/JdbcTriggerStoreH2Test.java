package dev.steward.jdbc;

import dev.steward.journey.TriggerStore;
import dev.steward.journey.TriggerStoreContract;

/** The TriggerStore contract against JdbcTriggerStore on an in-memory H2 database. */
class JdbcTriggerStoreH2Test extends TriggerStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcTriggerStoreH2Test.class);

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
