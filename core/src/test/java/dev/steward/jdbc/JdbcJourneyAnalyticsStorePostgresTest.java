package dev.steward.jdbc;

import dev.steward.journey.JourneyAnalyticsStore;
import dev.steward.journey.JourneyAnalyticsStoreContract;

/**
 * The JourneyAnalyticsStore contract against JdbcJourneyAnalyticsStore on the embedded PostgreSQL
 * server.
 */
class JdbcJourneyAnalyticsStorePostgresTest extends JourneyAnalyticsStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected JourneyAnalyticsStore newStore() {
    DB.clear();
    return JdbcJourneyAnalyticsStore.of(DB.dataSource());
  }

  @Override
  protected JourneyAnalyticsStore secondInstance() {
    return JdbcJourneyAnalyticsStore.of(DB.dataSource());
  }
}
