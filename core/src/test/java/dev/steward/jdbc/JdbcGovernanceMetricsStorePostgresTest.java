package dev.steward.jdbc;

import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.GovernanceMetricsStoreContract;

/** The governance metrics store contract against JdbcGovernanceMetricsStore on Postgres. */
class JdbcGovernanceMetricsStorePostgresTest extends GovernanceMetricsStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected GovernanceMetricsStore newStore() {
    DB.clear();
    return JdbcGovernanceMetricsStore.of(DB.dataSource());
  }

  @Override
  protected GovernanceMetricsStore secondInstance() {
    return JdbcGovernanceMetricsStore.of(DB.dataSource());
  }
}
