package dev.steward.delivery;

class InMemoryDeliveryLedgerTest extends DeliveryLedgerContract {
  @Override
  protected DeliveryLedger newStore() {
    return InMemoryDeliveryLedger.of();
  }

  @Override
  protected DeliveryLedger secondInstance() {
    return store;
  }
}
