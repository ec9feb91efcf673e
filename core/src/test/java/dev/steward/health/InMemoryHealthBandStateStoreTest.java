package dev.steward.health;

class InMemoryHealthBandStateStoreTest extends HealthBandStateStoreContract {
  @Override
  protected HealthBandStateStore newStore() {
    return InMemoryHealthBandStateStore.of();
  }
}
