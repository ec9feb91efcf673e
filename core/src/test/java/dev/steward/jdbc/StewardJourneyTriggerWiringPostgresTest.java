package dev.steward.jdbc;

import dev.steward.StewardJourneyTriggerWiringContract;
import dev.steward.Stores;
import java.time.Clock;

/** Journey triggers through Steward on {@link JdbcStores} over the embedded PostgreSQL server. */
class StewardJourneyTriggerWiringPostgresTest extends StewardJourneyTriggerWiringContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected Stores stores(Clock clock) {
    DB.clear();
    return JdbcStores.of(DB.dataSource());
  }
}
