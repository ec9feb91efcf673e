package dev.steward.sendgrid.admin;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The dates statistics are read for (SendGrid's {@code start_date} and {@code end_date}, both
 * included, in the account's time zone, UTC by default) and how they are grouped.
 *
 * @param start the first day
 * @param end the last day, not before {@code start}
 * @param aggregation one row per day, week or month
 */
public record StatsPeriod(LocalDate start, LocalDate end, StatsAggregation aggregation) {
  /** Checks the dates. */
  public StatsPeriod {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(aggregation, "aggregation");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("stats end " + end + " is before start " + start);
    }
  }

  /** One row per day from {@code start} to {@code end}, both included. */
  public static StatsPeriod days(LocalDate start, LocalDate end) {
    return new StatsPeriod(start, end, StatsAggregation.DAY);
  }
}
