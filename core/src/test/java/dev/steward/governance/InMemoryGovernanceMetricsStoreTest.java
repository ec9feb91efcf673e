package dev.steward.governance;

/** The metrics store contract against the in-memory store. */
class InMemoryGovernanceMetricsStoreTest extends GovernanceMetricsStoreContract {
  @Override
  protected GovernanceMetricsStore newStore() {
    return InMemoryGovernanceMetricsStore.of();
  }
}
