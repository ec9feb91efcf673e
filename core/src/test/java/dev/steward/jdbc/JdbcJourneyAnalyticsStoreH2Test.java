package dev.steward.jdbc;

import dev.steward.journey.JourneyAnalyticsStore;
import dev.steward.journey.JourneyAnalyticsStoreContract;

/**
 * The JourneyAnalyticsStore contract against JdbcJourneyAnalyticsStore on an in-memory H2 database.
 */
class JdbcJourneyAnalyticsStoreH2Test extends JourneyAnalyticsStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcJourneyAnalyticsStoreH2Test.class);

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
