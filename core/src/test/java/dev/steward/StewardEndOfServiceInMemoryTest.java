package dev.steward;

import java.time.Clock;

/** The end of service through Steward on in-memory stores. */
class StewardEndOfServiceInMemoryTest extends StewardEndOfServiceContract {
  @Override
  Stores stores(Clock clock) {
    return Stores.inMemory(clock);
  }

  @Override
  Stores[] instances(Clock clock) {
    Stores shared = Stores.inMemory(clock);
    return new Stores[] {shared, shared};
  }
}
