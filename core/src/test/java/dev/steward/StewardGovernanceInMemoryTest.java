package dev.steward;

import java.time.Clock;

/** Governance through Steward on stores in memory. */
class StewardGovernanceInMemoryTest extends StewardGovernanceContract {
  @Override
  Stores stores(Clock clock) {
    return Stores.inMemory(clock);
  }
}
