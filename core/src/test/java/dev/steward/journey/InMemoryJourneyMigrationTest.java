package dev.steward.journey;

/** Version migration over the in-memory store. */
class InMemoryJourneyMigrationTest extends JourneyMigrationContract {
  private JourneyStore store;

  @Override
  protected JourneyStore newStore() {
    store = InMemoryJourneyStore.of();
    return store;
  }

  @Override
  protected JourneyStore secondInstance() {
    return store;
  }
}
