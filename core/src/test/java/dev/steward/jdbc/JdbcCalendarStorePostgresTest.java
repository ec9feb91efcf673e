package dev.steward.jdbc;

import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.CalendarStoreContract;

/** The CalendarStore contract against JdbcCalendarStore on the embedded PostgreSQL server. */
class JdbcCalendarStorePostgresTest extends CalendarStoreContract {
  private static final TestDatabase DB = TestDatabase.postgres();

  @Override
  protected CalendarStore newStore() {
    DB.clear();
    return JdbcCalendarStore.of(DB.dataSource());
  }

  @Override
  protected CalendarStore secondInstance() {
    return JdbcCalendarStore.of(DB.dataSource());
  }
}
