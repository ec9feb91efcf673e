package dev.steward.jdbc;

import dev.steward.delivery.DeferredQueue;
import dev.steward.delivery.DeferredQueueContract;

/** The DeferredQueue contract against JdbcDeferredQueue on an in-memory H2 database. */
class JdbcDeferredQueueH2Test extends DeferredQueueContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcDeferredQueueH2Test.class);

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
