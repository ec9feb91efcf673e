package dev.steward.journey;

/** The TriggerStore contract against the in-memory store. */
class InMemoryTriggerStoreTest extends TriggerStoreContract {
  @Override
  protected TriggerStore newStore() {
    return InMemoryTriggerStore.of();
  }
}
