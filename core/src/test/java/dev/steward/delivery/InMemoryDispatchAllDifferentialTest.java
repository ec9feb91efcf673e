package dev.steward.delivery;

import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.InMemorySuppressionStore;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.testing.SettableClock;

/** {@link DispatchAllDifferentialContract} over the in-memory stores. */
class InMemoryDispatchAllDifferentialTest extends DispatchAllDifferentialContract {
  @Override
  protected Stores newStores(String name, SettableClock clock) {
    return new Stores(
        InMemoryDeliveryLedger.of(),
        InMemoryWorkStore.of(clock),
        InMemoryCapLedgerStore.of(),
        InMemoryConsentStore.of(),
        InMemorySuppressionStore.of());
  }

  @Override
  protected int batches() {
    return 300;
  }
}
