package dev.steward.schedule;

import dev.steward.testing.SettableClock;
import java.time.Duration;

/** The WorkStore contract against the in-memory store. */
class InMemoryWorkStoreTest extends WorkStoreContract {
  private final SettableClock leaseClock = SettableClock.of(T0);
  private WorkStore current;

  @Override
  protected WorkStore newStore() {
    current = InMemoryWorkStore.of(leaseClock);
    return current;
  }

  @Override
  protected WorkStore secondInstance() {
    return current;
  }

  @Override
  protected void passLeaseTime(Duration d) {
    leaseClock.advance(d);
  }
}
