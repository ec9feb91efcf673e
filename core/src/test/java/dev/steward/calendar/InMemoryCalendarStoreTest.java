package dev.steward.calendar;

class InMemoryCalendarStoreTest extends CalendarStoreContract {
  @Override
  protected CalendarStore newStore() {
    return InMemoryCalendarStore.of();
  }

  @Override
  protected CalendarStore secondInstance() {
    return store;
  }
}
