package dev.steward.journey;

/** The JourneyStore contract against the in-memory store. */
class InMemoryJourneyStoreTest extends JourneyStoreContract {
  @Override
  protected JourneyStore newStore() {
    return new InMemoryJourneyStore();
  }
}
