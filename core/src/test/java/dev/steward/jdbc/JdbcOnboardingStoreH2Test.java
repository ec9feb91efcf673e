package dev.steward.jdbc;

import dev.steward.onboarding.OnboardingStore;
import dev.steward.onboarding.OnboardingStoreContract;

/** The OnboardingStore contract against JdbcOnboardingStore on an in-memory H2 database. */
class JdbcOnboardingStoreH2Test extends OnboardingStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcOnboardingStoreH2Test.class);

  @Override
  protected OnboardingStore newStore() {
    DB.clear();
    return JdbcOnboardingStore.of(DB.dataSource());
  }

  @Override
  protected OnboardingStore secondInstance() {
    return JdbcOnboardingStore.of(DB.dataSource());
  }
}
