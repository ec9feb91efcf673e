package dev.steward.jdbc;

import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.OnboardingCadenceTest;
import dev.steward.testing.SettableClock;
import org.junit.jupiter.api.Test;

/** The onboarding cadence's 30 days, with the journey and work stores on PostgreSQL. */
class JdbcOnboardingCadencePostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Test
  void thirtyDaysOfOnboardingOnJdbcStores() {
    DB.clear();
    SettableClock clock = SettableClock.of(OnboardingCadenceTest.ENROLLED);
    JourneyKit kit =
        new JourneyKit(
            clock,
            JdbcJourneyStore.of(DB.dataSource()),
            JdbcWorkStore.of(DB.dataSource()),
            b -> b.journey(JourneyDefinition.readyMade("onboarding")));
    OnboardingCadenceTest.runAndCheck(kit);
  }
}
