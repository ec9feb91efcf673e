package dev.steward.consent;

class InMemoryConsentStoreTest extends ConsentStoreContract {
  @Override
  protected ConsentStore newStore() {
    return new InMemoryConsentStore();
  }

  @Override
  protected ConsentStore secondInstance() {
    return store;
  }
}
