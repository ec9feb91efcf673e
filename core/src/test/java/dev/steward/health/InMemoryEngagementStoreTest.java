package dev.steward.health;

/** The EngagementStore contract against the in-memory store. */
class InMemoryEngagementStoreTest extends EngagementStoreContract {
  @Override
  protected EngagementStore newStore() {
    return InMemoryEngagementStore.of();
  }
}
