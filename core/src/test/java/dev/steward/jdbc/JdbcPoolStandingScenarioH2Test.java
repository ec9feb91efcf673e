package dev.steward.jdbc;

import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.StandingStore;
import dev.steward.ippool.PoolAssignmentStore;
import dev.steward.ippool.PoolStandingScenario;

/** The pool-standing scenario over the JDBC stores on H2. */
class JdbcPoolStandingScenarioH2Test extends PoolStandingScenario {
  private static final TestDatabase DB = TestDatabase.h2(JdbcPoolStandingScenarioH2Test.class);

  @Override
  protected GovernanceMetricsStore metrics() {
    DB.clear();
    return JdbcGovernanceMetricsStore.of(DB.dataSource());
  }

  @Override
  protected StandingStore standings() {
    return JdbcStandingStore.of(DB.dataSource());
  }

  @Override
  protected PoolAssignmentStore assignments() {
    return JdbcPoolAssignmentStore.of(DB.dataSource());
  }
}
