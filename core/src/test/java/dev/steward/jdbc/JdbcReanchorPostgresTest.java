package dev.steward.jdbc;

import dev.steward.journey.JourneyKit;
import dev.steward.journey.ReanchorTest;
import dev.steward.testing.SettableClock;
import org.junit.jupiter.api.Test;

/** Re-anchoring of date waits across DST with the journey and work stores on Postgres. */
class JdbcReanchorPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();

  private static JourneyKit kit(SettableClock clock) {
    DB.clear();
    return new JourneyKit(
        clock,
        JdbcJourneyStore.of(DB.dataSource()),
        JdbcWorkStore.of(DB.dataSource()),
        b -> b.journey(ReanchorTest.RENEWAL).journey(ReanchorTest.QBR));
  }

  @Test
  void springForwardBothWaysAndPast() {
    ReanchorTest.springForwardBothWaysAndPast(JdbcReanchorPostgresTest::kit);
  }

  @Test
  void fallBackInNewYork() {
    ReanchorTest.fallBackInNewYork(JdbcReanchorPostgresTest::kit);
  }
}
