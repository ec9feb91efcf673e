package dev.steward.jdbc;

import dev.steward.delivery.EventInbox;
import dev.steward.delivery.EventInboxContract;
import java.time.Duration;

/** The EventInbox contract against JdbcEventInbox on Postgres. */
class JdbcEventInboxPostgresTest extends EventInboxContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected EventInbox newInbox() {
    DB.clear();
    return JdbcEventInbox.of(DB.dataSource());
  }

  @Override
  protected EventInbox secondInstance() {
    return JdbcEventInbox.of(DB.dataSource());
  }

  @Override
  protected void passLeaseTime(Duration d) {
    TestDatabase.passRealTime(d);
  }
}
