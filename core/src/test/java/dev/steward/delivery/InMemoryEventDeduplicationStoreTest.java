package dev.steward.delivery;

class InMemoryEventDeduplicationStoreTest extends EventDeduplicationStoreContract {
  @Override
  protected EventDeduplicationStore newStore() {
    return new InMemoryEventDeduplicationStore();
  }

  @Override
  protected EventDeduplicationStore secondInstance() {
    return store;
  }
}
