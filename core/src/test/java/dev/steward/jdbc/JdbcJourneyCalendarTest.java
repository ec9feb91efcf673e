package dev.steward.jdbc;

import dev.steward.calendar.CalendarStore;
import dev.steward.journey.JourneyCalendarContract;
import dev.steward.journey.JourneyStore;
import dev.steward.schedule.WorkStore;
import org.junit.jupiter.api.Nested;

/**
 * {@link JourneyCalendarContract} on the JDBC stores, H2 and PostgreSQL; each instance of the test
 * opens its own stores over the one database.
 */
class JdbcJourneyCalendarTest {
  private static final TestDatabase H2 = TestDatabase.h2(JdbcJourneyCalendarTest.class);

  @Nested
  class OnH2 extends JourneyCalendarContract {
    @Override
    protected void reset() {
      H2.clear();
    }

    @Override
    protected JourneyStore journeyStore() {
      return JdbcJourneyStore.of(H2.dataSource());
    }

    @Override
    protected WorkStore workStore() {
      return JdbcWorkStore.of(H2.dataSource());
    }

    @Override
    protected CalendarStore calendarStore() {
      return JdbcCalendarStore.of(H2.dataSource());
    }
  }

  /**
   * The same on H2 with no thread given a second connection while it holds one: the calendar's sync
   * reads the enrolment while it holds the calendar's transaction, which deadlocked a pool as small
   * as the number of threads enrolling (JourneyDrains, 4 connections, 4 threads).
   */
  @Nested
  class OnH2WithoutNestedConnections extends JourneyCalendarContract {
    private final NoNestedConnectionDataSource connections =
        new NoNestedConnectionDataSource(H2.dataSource());

    @Override
    protected void reset() {
      H2.clear();
    }

    @Override
    protected JourneyStore journeyStore() {
      return JdbcJourneyStore.of(connections);
    }

    @Override
    protected WorkStore workStore() {
      return JdbcWorkStore.of(connections);
    }

    @Override
    protected CalendarStore calendarStore() {
      return JdbcCalendarStore.of(connections);
    }
  }

  @Nested
  class OnPostgres extends JourneyCalendarContract {
    private final TestDatabase db = TestDatabase.postgres();

    @Override
    protected void reset() {
      db.clear();
    }

    @Override
    protected JourneyStore journeyStore() {
      return JdbcJourneyStore.of(db.dataSource());
    }

    @Override
    protected WorkStore workStore() {
      return JdbcWorkStore.of(db.dataSource());
    }

    @Override
    protected CalendarStore calendarStore() {
      return JdbcCalendarStore.of(db.dataSource());
    }
  }
}
