package dev.steward.jdbc;

import dev.steward.consent.ConsentChangeFeedContract;
import dev.steward.consent.ConsentStore;

/** The ConsentChangeFeed contract against JdbcConsentStore on an in-memory H2 database. */
class JdbcConsentChangeFeedH2Test extends ConsentChangeFeedContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcConsentChangeFeedH2Test.class);

  @Override
  protected ConsentStore newStore() {
    DB.clear();
    return JdbcConsentStore.of(DB.dataSource());
  }

  @Override
  protected ConsentStore secondInstance() {
    return JdbcConsentStore.of(DB.dataSource());
  }
}
