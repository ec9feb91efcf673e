/**
 * The communication calendar: the central record every team sees of what was scheduled and sent to
 * each account and contact, and of the complaints later communications must keep away from.
 *
 * <p>{@link dev.steward.calendar.CommunicationCalendar} checks a candidate against its {@link
 * dev.steward.calendar.ConflictRule}s (different teams the same day, too many campaigns at once,
 * too soon after a complaint) before it stores it; each {@link
 * dev.steward.calendar.CalendarConflict} names its rule, the entries it clashes with and a
 * sentence. {@link dev.steward.calendar.CalendarEventListener} records spam reports as complaints.
 * Entries are kept in a {@link dev.steward.calendar.CalendarStore}: {@link
 * dev.steward.calendar.InMemoryCalendarStore} here, {@code JdbcCalendarStore} in {@code
 * dev.steward.jdbc}.
 */
package dev.steward.calendar;
