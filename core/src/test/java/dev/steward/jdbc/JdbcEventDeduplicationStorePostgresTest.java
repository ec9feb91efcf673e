package dev.steward.jdbc;

import dev.steward.delivery.EventDeduplicationStore;
import dev.steward.delivery.EventDeduplicationStoreContract;

/**
 * The EventDeduplicationStore contract against JdbcEventDeduplicationStore on the embedded
 * PostgreSQL server.
 */
class JdbcEventDeduplicationStorePostgresTest extends EventDeduplicationStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

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
