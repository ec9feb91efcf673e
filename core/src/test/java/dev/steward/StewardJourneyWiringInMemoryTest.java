package dev.steward;

import java.time.Clock;

/** Journeys through Steward on {@link Stores#inMemory}. */
class StewardJourneyWiringInMemoryTest extends StewardJourneyWiringContract {
  @Override
  protected Stores stores(Clock clock) {
    return Stores.inMemory(clock);
  }
}
