package dev.steward.jdbc;

import dev.steward.journey.JourneyStore;
import dev.steward.journey.JourneyStoreContract;

/** The JourneyStore contract against JdbcJourneyStore on the embedded PostgreSQL server. */
class JdbcJourneyStorePostgresTest extends JourneyStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected JourneyStore newStore() {
    DB.clear();
    return JdbcJourneyStore.of(DB.dataSource());
  }

  @Override
  protected JourneyStore secondInstance() {
    return JdbcJourneyStore.of(DB.dataSource());
  }
}
