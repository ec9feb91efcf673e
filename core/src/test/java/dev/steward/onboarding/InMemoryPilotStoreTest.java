package dev.steward.onboarding;

/** The PilotStore contract against the in-memory store. */
class InMemoryPilotStoreTest extends PilotStoreContract {
  @Override
  protected PilotStore newStore() {
    return InMemoryPilotStore.of();
  }
}
