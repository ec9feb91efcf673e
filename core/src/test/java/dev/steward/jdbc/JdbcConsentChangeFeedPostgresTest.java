package dev.steward.jdbc;

import dev.steward.consent.ConsentChangeFeedContract;
import dev.steward.consent.ConsentStore;

/** The ConsentChangeFeed contract against JdbcConsentStore on the embedded PostgreSQL server. */
class JdbcConsentChangeFeedPostgresTest extends ConsentChangeFeedContract {
  private static final TestDatabase DB = TestDatabase.postgres();

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
