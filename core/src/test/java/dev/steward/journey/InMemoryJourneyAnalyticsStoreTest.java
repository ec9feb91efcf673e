package dev.steward.journey;

/** The JourneyAnalyticsStore contract against the in-memory store. */
class InMemoryJourneyAnalyticsStoreTest extends JourneyAnalyticsStoreContract {
  @Override
  protected JourneyAnalyticsStore newStore() {
    return InMemoryJourneyAnalyticsStore.of();
  }
}
