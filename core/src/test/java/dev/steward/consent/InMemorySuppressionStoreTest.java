package dev.steward.consent;

class InMemorySuppressionStoreTest extends SuppressionStoreContract {
  @Override
  protected SuppressionStore newStore() {
    return new InMemorySuppressionStore();
  }

  @Override
  protected SuppressionStore secondInstance() {
    return store;
  }
}
