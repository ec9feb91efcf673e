package dev.steward.jdbc;

import dev.steward.journey.JourneyKit;
import dev.steward.journey.ReanchorTest;
import dev.steward.testing.SettableClock;
import org.junit.jupiter.api.Test;

/** Re-anchoring of date waits across DST with the journey and work stores on H2. */
class JdbcReanchorH2Test {
  private static final TestDatabase DB = TestDatabase.h2(JdbcReanchorH2Test.class);

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
    ReanchorTest.springForwardBothWaysAndPast(JdbcReanchorH2Test::kit);
  }

  @Test
  void fallBackInNewYork() {
    ReanchorTest.fallBackInNewYork(JdbcReanchorH2Test::kit);
  }
}
