package dev.steward.health;

class InMemoryHealthHistoryStoreTest extends HealthHistoryStoreContract {
  @Override
  protected HealthHistoryStore newStore() {
    return InMemoryHealthHistoryStore.of();
  }
}
