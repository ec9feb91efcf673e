package dev.steward.jdbc;

import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkStoreContract;
import java.time.Duration;

/** The WorkStore contract against JdbcWorkStore on Postgres. */
class JdbcWorkStorePostgresTest extends WorkStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected WorkStore newStore() {
    DB.clear();
    return JdbcWorkStore.create(DB.dataSource());
  }

  @Override
  protected WorkStore secondInstance() {
    return JdbcWorkStore.create(DB.dataSource());
  }

  @Override
  protected void passLeaseTime(Duration d) {
    TestDatabase.passRealTime(d);
  }
}
