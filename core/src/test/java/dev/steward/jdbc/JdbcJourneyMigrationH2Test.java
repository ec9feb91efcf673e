package dev.steward.jdbc;

import dev.steward.journey.JourneyMigrationContract;
import dev.steward.journey.JourneyStore;

/** Version migration over JdbcJourneyStore on an in-memory H2 database. */
class JdbcJourneyMigrationH2Test extends JourneyMigrationContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcJourneyMigrationH2Test.class);

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
