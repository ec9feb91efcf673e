package dev.steward.consent;

class InMemoryConsentChangeFeedTest extends ConsentChangeFeedContract {
  private InMemoryConsentStore store;

  @Override
  protected ConsentStore newStore() {
    store = InMemoryConsentStore.of();
    return store;
  }

  @Override
  protected ConsentStore secondInstance() {
    return store;
  }
}
