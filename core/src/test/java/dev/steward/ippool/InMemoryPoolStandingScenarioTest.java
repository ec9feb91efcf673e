package dev.steward.ippool;

import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.StandingStore;

/** The pool-standing scenario over the in-memory stores. */
class InMemoryPoolStandingScenarioTest extends PoolStandingScenario {
  @Override
  protected GovernanceMetricsStore metrics() {
    return InMemoryGovernanceMetricsStore.of();
  }

  @Override
  protected StandingStore standings() {
    return InMemoryStandingStore.of();
  }

  @Override
  protected PoolAssignmentStore assignments() {
    return InMemoryPoolAssignmentStore.of();
  }
}
