package dev.steward.journey;

import dev.steward.Stores;
import java.time.Clock;

/** The batch handler against the single one, in memory. */
class StepBatchDifferentialInMemoryTest extends StepBatchDifferentialContract {
  @Override
  protected Stores stores(Clock clock) {
    return Stores.inMemory(clock);
  }
}
