package dev.steward.jdbc;

import dev.steward.onboarding.OnboardingStore;
import dev.steward.onboarding.OnboardingStoreContract;

/** The OnboardingStore contract against JdbcOnboardingStore on the embedded PostgreSQL server. */
class JdbcOnboardingStorePostgresTest extends OnboardingStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

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
