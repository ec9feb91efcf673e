package dev.steward.onboarding;

/** The OnboardingStore contract against the in-memory store. */
class InMemoryOnboardingStoreTest extends OnboardingStoreContract {
  private InMemoryOnboardingStore current;

  @Override
  protected OnboardingStore newStore() {
    current = InMemoryOnboardingStore.of();
    return current;
  }

  @Override
  protected OnboardingStore secondInstance() {
    return current;
  }
}
