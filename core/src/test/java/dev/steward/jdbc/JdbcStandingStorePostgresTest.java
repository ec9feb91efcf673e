package dev.steward.jdbc;

import dev.steward.governance.StandingStore;
import dev.steward.governance.StandingStoreContract;

/** The governance standing store contract against JdbcStandingStore on Postgres. */
class JdbcStandingStorePostgresTest extends StandingStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected StandingStore newStore() {
    DB.clear();
    return JdbcStandingStore.of(DB.dataSource());
  }

  @Override
  protected StandingStore secondInstance() {
    return JdbcStandingStore.of(DB.dataSource());
  }
}
