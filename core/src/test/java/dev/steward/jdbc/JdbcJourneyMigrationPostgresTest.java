package dev.steward.jdbc;

import dev.steward.journey.JourneyMigrationContract;
import dev.steward.journey.JourneyStore;

/** Version migration over JdbcJourneyStore on the embedded PostgreSQL server. */
class JdbcJourneyMigrationPostgresTest extends JourneyMigrationContract {
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
