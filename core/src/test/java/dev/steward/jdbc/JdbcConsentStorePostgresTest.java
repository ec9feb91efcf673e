package dev.steward.jdbc;

import dev.steward.consent.ConsentStore;
import dev.steward.consent.ConsentStoreContract;

/** The ConsentStore contract against JdbcConsentStore on the embedded PostgreSQL server. */
class JdbcConsentStorePostgresTest extends ConsentStoreContract {
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
