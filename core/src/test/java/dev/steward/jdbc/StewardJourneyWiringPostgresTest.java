package dev.steward.jdbc;

import dev.steward.StewardJourneyWiringContract;
import dev.steward.Stores;
import java.time.Clock;

/** Journeys through Steward on {@link JdbcStores} over the embedded PostgreSQL server. */
class StewardJourneyWiringPostgresTest extends StewardJourneyWiringContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected Stores stores(Clock clock) {
    DB.clear();
    return JdbcStores.of(DB.dataSource());
  }
}
