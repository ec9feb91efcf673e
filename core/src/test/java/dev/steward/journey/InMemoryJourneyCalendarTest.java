package dev.steward.journey;

import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.InMemoryCalendarStore;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkStore;
import java.time.Clock;

/** {@link JourneyCalendarContract} on the in-memory stores, shared by every instance. */
class InMemoryJourneyCalendarTest extends JourneyCalendarContract {
  private JourneyStore journeys;
  private WorkStore work;
  private CalendarStore calendar;

  @Override
  protected void reset() {
    journeys = InMemoryJourneyStore.of();
    work = InMemoryWorkStore.of(Clock.systemUTC());
    calendar = InMemoryCalendarStore.of();
  }

  @Override
  protected JourneyStore journeyStore() {
    return journeys;
  }

  @Override
  protected WorkStore workStore() {
    return work;
  }

  @Override
  protected CalendarStore calendarStore() {
    return calendar;
  }
}
