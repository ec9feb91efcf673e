package dev.steward.jdbc;

import dev.steward.governance.StandingStore;
import dev.steward.governance.StandingStoreContract;

/** The governance standing store contract against JdbcStandingStore on H2. */
class JdbcStandingStoreH2Test extends StandingStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcStandingStoreH2Test.class);

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
