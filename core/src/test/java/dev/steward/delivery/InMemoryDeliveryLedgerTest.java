package dev.steward.delivery;

class InMemoryDeliveryLedgerTest extends DeliveryLedgerContract {
  @Override
  protected DeliveryLedger newStore() {
    return new InMemoryDeliveryLedger();
  }

  @Override
  protected DeliveryLedger secondInstance() {
    return store;
  }
}
