package dev.steward.calendar;

class InMemoryCalendarStoreTest extends CalendarStoreContract {
  @Override
  protected CalendarStore newStore() {
    return new InMemoryCalendarStore();
  }

  @Override
  protected CalendarStore secondInstance() {
    return store;
  }
}
