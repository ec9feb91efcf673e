package dev.steward.frequency;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * A calendar window read in a time zone: a day, an ISO week (Monday to Sunday), a month or a
 * quarter. Each starts at the start of its first local day ({@link LocalDate#atStartOfDay(ZoneId)},
 * so a day that begins in a DST gap starts at the transition) and ends where the next one starts.
 */
public enum CalendarPeriod {
  DAY,
  WEEK,
  MONTH,
  QUARTER;

  /** The first local date of the period that holds {@code date}. */
  public LocalDate firstDate(LocalDate date) {
    return switch (this) {
      case DAY -> date;
      case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> date.withDayOfMonth(1);
      case QUARTER -> LocalDate.of(date.getYear(), (date.getMonthValue() - 1) / 3 * 3 + 1, 1);
    };
  }

  /** The first local date of the period after the one that starts at {@code first}. */
  public LocalDate nextFirstDate(LocalDate first) {
    return switch (this) {
      case DAY -> first.plusDays(1);
      case WEEK -> first.plusWeeks(1);
      case MONTH -> first.plusMonths(1);
      case QUARTER -> first.plusMonths(3);
    };
  }

  /** The start of the period holding {@code at}, read in {@code zone}. */
  public Instant start(Instant at, ZoneId zone) {
    return firstDate(LocalDate.ofInstant(at, zone)).atStartOfDay(zone).toInstant();
  }

  /** The start of the period after the one holding {@code at}, read in {@code zone}. */
  public Instant nextStart(Instant at, ZoneId zone) {
    return nextFirstDate(firstDate(LocalDate.ofInstant(at, zone))).atStartOfDay(zone).toInstant();
  }

  /** An upper bound of the period's length in days, with a day of slack for zone offsets. */
  int maxDays() {
    return switch (this) {
      case DAY -> 2;
      case WEEK -> 8;
      case MONTH -> 32;
      case QUARTER -> 93;
    };
  }
}
