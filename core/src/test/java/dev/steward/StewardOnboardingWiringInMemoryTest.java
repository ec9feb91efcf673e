package dev.steward;

import java.time.Clock;

/** Onboarding's later phases through Steward on {@link Stores#inMemory}. */
class StewardOnboardingWiringInMemoryTest extends StewardOnboardingWiringContract {
  @Override
  Stores stores(Clock clock) {
    return Stores.inMemory(clock);
  }
}
