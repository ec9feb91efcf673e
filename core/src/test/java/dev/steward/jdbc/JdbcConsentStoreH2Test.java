package dev.steward.jdbc;

import dev.steward.consent.ConsentStore;
import dev.steward.consent.ConsentStoreContract;

/** The ConsentStore contract against JdbcConsentStore on an in-memory H2 database. */
class JdbcConsentStoreH2Test extends ConsentStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcConsentStoreH2Test.class);

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
