package dev.steward;

import java.time.Clock;

/** Journey triggers through Steward on {@link Stores#inMemory}. */
class StewardJourneyTriggerWiringInMemoryTest extends StewardJourneyTriggerWiringContract {
  @Override
  protected Stores stores(Clock clock) {
    return Stores.inMemory(clock);
  }
}
