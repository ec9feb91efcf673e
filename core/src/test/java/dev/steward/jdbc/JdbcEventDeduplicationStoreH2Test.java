package dev.steward.jdbc;

import dev.steward.delivery.EventDeduplicationStore;
import dev.steward.delivery.EventDeduplicationStoreContract;

/**
 * The EventDeduplicationStore contract against JdbcEventDeduplicationStore on an in-memory H2
 * database.
 */
class JdbcEventDeduplicationStoreH2Test extends EventDeduplicationStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcEventDeduplicationStoreH2Test.class);

  @Override
  protected EventDeduplicationStore newStore() {
    DB.clear();
    return JdbcEventDeduplicationStore.of(DB.dataSource());
  }

  @Override
  protected EventDeduplicationStore secondInstance() {
    return JdbcEventDeduplicationStore.of(DB.dataSource());
  }
}
