package dev.steward.jdbc;

import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkStoreContract;
import java.time.Duration;

/** The WorkStore contract against JdbcWorkStore on H2. */
class JdbcWorkStoreH2Test extends WorkStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcWorkStoreH2Test.class);

  @Override
  protected WorkStore newStore() {
    DB.clear();
    return JdbcWorkStore.of(DB.dataSource());
  }

  @Override
  protected WorkStore secondInstance() {
    return JdbcWorkStore.of(DB.dataSource());
  }

  @Override
  protected void passLeaseTime(Duration d) {
    TestDatabase.passRealTime(d);
  }
}
