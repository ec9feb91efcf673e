package dev.steward.jdbc;

import dev.steward.onboarding.PilotStore;
import dev.steward.onboarding.PilotStoreContract;

/** The PilotStore contract against JdbcPilotStore on an in-memory H2 database. */
class JdbcPilotStoreH2Test extends PilotStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcPilotStoreH2Test.class);

  @Override
  protected PilotStore newStore() {
    DB.clear();
    return JdbcPilotStore.of(DB.dataSource());
  }

  @Override
  protected PilotStore secondInstance() {
    return JdbcPilotStore.of(DB.dataSource());
  }
}
