package dev.steward.jdbc;

import dev.steward.journey.JourneyStore;
import dev.steward.journey.JourneyStoreContract;

/** The JourneyStore contract against JdbcJourneyStore on an in-memory H2 database. */
class JdbcJourneyStoreH2Test extends JourneyStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcJourneyStoreH2Test.class);

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
