package dev.steward.governance;

/** The standing store contract against the in-memory store. */
class InMemoryStandingStoreTest extends StandingStoreContract {
  @Override
  protected StandingStore newStore() {
    return InMemoryStandingStore.of();
  }
}
