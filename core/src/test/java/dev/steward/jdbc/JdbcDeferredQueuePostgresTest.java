package dev.steward.jdbc;

import dev.steward.delivery.DeferredQueue;
import dev.steward.delivery.DeferredQueueContract;

/** The DeferredQueue contract against JdbcDeferredQueue on the embedded PostgreSQL server. */
class JdbcDeferredQueuePostgresTest extends DeferredQueueContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected DeferredQueue newStore() {
    DB.clear();
    return JdbcDeferredQueue.create(DB.dataSource());
  }

  @Override
  protected DeferredQueue secondInstance() {
    return JdbcDeferredQueue.create(DB.dataSource());
  }
}
