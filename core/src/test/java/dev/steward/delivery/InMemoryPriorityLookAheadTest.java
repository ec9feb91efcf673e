package dev.steward.delivery;

import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkStore;
import java.time.Clock;

/** {@link PriorityLookAheadContract} on the in-memory stores, shared by every instance. */
class InMemoryPriorityLookAheadTest extends PriorityLookAheadContract {
  private WorkStore work;
  private CapLedgerStore caps;
  private DeliveryLedger ledger;

  @Override
  protected void reset() {
    // leases by the system clock: the tests' settable clock moves weeks, a lease lasts seconds
    work = InMemoryWorkStore.of(Clock.systemUTC());
    caps = InMemoryCapLedgerStore.of();
    ledger = InMemoryDeliveryLedger.of();
  }

  @Override
  protected WorkStore workStore() {
    return work;
  }

  @Override
  protected CapLedgerStore capStore() {
    return caps;
  }

  @Override
  protected DeliveryLedger ledger() {
    return ledger;
  }
}
