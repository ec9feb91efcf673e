package dev.steward.consent;

class InMemorySuppressionStoreTest extends SuppressionStoreContract {
  @Override
  protected SuppressionStore newStore() {
    return InMemorySuppressionStore.of();
  }

  @Override
  protected SuppressionStore secondInstance() {
    return store;
  }
}
