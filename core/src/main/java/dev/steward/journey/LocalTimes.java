package dev.steward.journey;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** Time calculations in a contact's zone: local times on chosen days, dates of attributes. */
final class LocalTimes {
  private LocalTimes() {}

  /**
   * The first instant strictly after {@code after} at which it is the step's time, on one of its
   * days, in {@code zone}. Days are the zone's local dates: a date the zone skipped entirely
   * (Pacific/Apia went from 29 to 31 December 2011) is not one of its weekdays and is passed over,
   * never resolved into the next day. A time skipped by a DST change is taken after the change
   * (02:30 on the spring-forward day is 03:30); a repeated time at its first occurrence.
   */
  static Instant nextLocalTime(Instant after, Step.WaitUntilLocalTime x, ZoneId zone) {
    LocalDate day = after.atZone(zone).toLocalDate();
    // two weeks and a day: each chosen weekday comes round twice, so one skipped date cannot
    // leave the window without a candidate
    for (int i = 0; i <= 15; i++) {
      LocalDate d = day.plusDays(i);
      if (!x.days().contains(d.getDayOfWeek()) || !existsLocally(d, zone)) {
        continue;
      }
      Instant at = ZonedDateTime.of(d, x.time(), zone).toInstant();
      if (at.isAfter(after)) {
        return at;
      }
    }
    throw new IllegalStateException("no day of " + x.days() + " within 15 days in " + zone);
  }

  /** Whether {@code date} has any local time in {@code zone} (a whole day may be skipped). */
  static boolean existsLocally(LocalDate date, ZoneId zone) {
    // the start of a day in a gap is the instant just after the gap, which for a skipped day is
    // on a later date
    return date.atStartOfDay(zone).toLocalDate().equals(date);
  }
}
