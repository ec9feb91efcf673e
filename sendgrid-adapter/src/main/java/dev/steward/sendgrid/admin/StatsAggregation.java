package dev.steward.sendgrid.admin;

import java.util.Locale;

/** How SendGrid groups statistics ({@code aggregated_by}). */
public enum StatsAggregation {
  /** One row per day. */
  DAY,
  /** One row per week. */
  WEEK,
  /** One row per month. */
  MONTH;

  /** The name in SendGrid's query: {@code day}, {@code week}, {@code month}. */
  public String queryValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
