package dev.steward.delivery;

class InMemoryEventDeduplicationStoreTest extends EventDeduplicationStoreContract {
  @Override
  protected EventDeduplicationStore newStore() {
    return InMemoryEventDeduplicationStore.of();
  }

  @Override
  protected EventDeduplicationStore secondInstance() {
    return store;
  }
}
