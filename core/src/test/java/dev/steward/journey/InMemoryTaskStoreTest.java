package dev.steward.journey;

/** The TaskStore contract against the in-memory store. */
class InMemoryTaskStoreTest extends TaskStoreContract {
  @Override
  protected TaskStore newStore() {
    return InMemoryTaskStore.of();
  }
}
