package dev.steward.jdbc;

import dev.steward.onboarding.PilotStore;
import dev.steward.onboarding.PilotStoreContract;

/** The PilotStore contract against JdbcPilotStore on the embedded PostgreSQL. */
class JdbcPilotStorePostgresTest extends PilotStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

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
