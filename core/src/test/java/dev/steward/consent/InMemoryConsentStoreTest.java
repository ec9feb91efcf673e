package dev.steward.consent;

class InMemoryConsentStoreTest extends ConsentStoreContract {
  @Override
  protected ConsentStore newStore() {
    return InMemoryConsentStore.of();
  }

  @Override
  protected ConsentStore secondInstance() {
    return store;
  }
}
