package dev.steward.sendgrid.admin;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One date's statistics as SendGrid answered them: one entry for the account's global stats, one
 * per category or subuser asked for otherwise.
 *
 * @param date the day (or first day of the week or month)
 * @param entries the entries of that date
 */
public record StatsRow(LocalDate date, List<Entry> entries) {
  /** Checks the date and copies the entries. */
  public StatsRow {
    Objects.requireNonNull(date, "date");
    entries = List.copyOf(entries);
  }

  /** The metrics of the entry named {@code name} (a category or a subuser), if present. */
  public Optional<EmailMetrics> metricsOf(String name) {
    return entries.stream()
        .filter(e -> e.name().map(name::equals).orElse(false))
        .map(Entry::metrics)
        .findFirst();
  }

  /**
   * One entry of a date.
   *
   * @param type SendGrid's type of it ({@code category}, {@code subuser}); empty for global stats
   * @param name the category or subuser; empty for global stats
   * @param metrics its counts
   */
  public record Entry(Optional<String> type, Optional<String> name, EmailMetrics metrics) {
    /** Checks the parts. */
    public Entry {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(metrics, "metrics");
    }
  }
}
