package dev.steward.jdbc;

import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.CalendarStoreContract;

/** The CalendarStore contract against JdbcCalendarStore on an in-memory H2 database. */
class JdbcCalendarStoreH2Test extends CalendarStoreContract {
  private static final TestDatabase DB = TestDatabase.h2(JdbcCalendarStoreH2Test.class);

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
