package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.sendgrid.internal.ApiClient;
import dev.steward.sendgrid.internal.ApiRequest;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * SendGrid's email statistics ({@code /v3/stats}, {@code /v3/categories/stats}, {@code
 * /v3/subusers/stats}) as typed rows, for a period of dates. The global and subuser statistics are
 * paged ({@code limit} rows from {@code offset}; fewer than {@code limit} means the last page); the
 * category statistics are not paged by SendGrid. Reads are safe to repeat, so a 5xx or a lost
 * answer is retried.
 */
public final class Stats {
  /** The largest page read. */
  public static final int MAX_PAGE = 500;

  /** The most categories or subusers SendGrid takes in one request. */
  public static final int MAX_NAMES = 10;

  private final ApiClient api;

  Stats(ApiClient api) {
    this.api = api;
  }

  /** The account's (or, with {@code onBehalfOf}, a subuser's) global statistics: one page. */
  public List<StatsRow> global(
      Optional<String> onBehalfOf, StatsPeriod period, int limit, int offset) {
    Map<String, List<String>> q = period(period);
    page(q, limit, offset);
    return rows("read global stats", Names.onBehalfOf(onBehalfOf), q, "v3", "stats");
  }

  /** The statistics of 1 to {@value #MAX_NAMES} categories. */
  public List<StatsRow> categories(
      Optional<String> onBehalfOf, List<String> categories, StatsPeriod period) {
    Map<String, List<String>> q = period(period);
    q.put("categories", names("categories", categories));
    return rows(
        "read category stats", Names.onBehalfOf(onBehalfOf), q, "v3", "categories", "stats");
  }

  /** The statistics of 1 to {@value #MAX_NAMES} subusers (parent key only): one page. */
  public List<StatsRow> subusers(List<String> subusers, StatsPeriod period, int limit, int offset) {
    List<String> names = names("subusers", subusers);
    names.forEach(Names::subuser);
    Map<String, List<String>> q = period(period);
    q.put("subusers", names);
    page(q, limit, offset);
    return rows("read subuser stats", Optional.empty(), q, "v3", "subusers", "stats");
  }

  private static Map<String, List<String>> period(StatsPeriod period) {
    Objects.requireNonNull(period, "period");
    Map<String, List<String>> q = new LinkedHashMap<>();
    q.put("start_date", List.of(period.start().toString()));
    q.put("end_date", List.of(period.end().toString()));
    q.put("aggregated_by", List.of(period.aggregation().queryValue()));
    return q;
  }

  private static void page(Map<String, List<String>> q, int limit, int offset) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", not " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, not " + offset);
    }
    q.put("limit", List.of(Integer.toString(limit)));
    q.put("offset", List.of(Integer.toString(offset)));
  }

  private static List<String> names(String what, List<String> names) {
    Objects.requireNonNull(names, what);
    if (names.isEmpty() || names.size() > MAX_NAMES) {
      throw new IllegalArgumentException(
          "name 1 to " + MAX_NAMES + " " + what + ", not " + names.size());
    }
    List<String> out = new ArrayList<>(names.size());
    for (String n : names) {
      Objects.requireNonNull(n, what);
      if (n.isBlank() || n.length() > 255) {
        throw new IllegalArgumentException(what + " names must be 1 to 255 characters");
      }
      if (out.contains(n)) {
        throw new IllegalArgumentException(what + " name '" + n + "' is given twice");
      }
      out.add(n);
    }
    return out;
  }

  private List<StatsRow> rows(
      String operation, Optional<String> onBehalfOf, Map<String, List<String>> q, String... path) {
    JsonNode answer = api.call(ApiRequest.getRepeated(operation, onBehalfOf, q, path));
    if (!answer.isArray()) {
      throw EventWebhooks.unexpected(operation, "the answer is not a list");
    }
    List<StatsRow> out = new ArrayList<>(answer.size());
    for (JsonNode row : answer) {
      LocalDate date;
      try {
        date = LocalDate.parse(row.path("date").asText(""));
      } catch (DateTimeException e) {
        throw EventWebhooks.unexpected(operation, "a row has no date as YYYY-MM-DD");
      }
      if (!row.path("stats").isArray()) {
        throw EventWebhooks.unexpected(operation, "the row of " + date + " has no stats");
      }
      List<StatsRow.Entry> entries = new ArrayList<>();
      for (JsonNode e : row.path("stats")) {
        entries.add(
            new StatsRow.Entry(
                text(e.path("type")), text(e.path("name")), metrics(operation, e.path("metrics"))));
      }
      out.add(new StatsRow(date, entries));
    }
    return out;
  }

  private static EmailMetrics metrics(String operation, JsonNode m) {
    if (!m.isObject()) {
      throw EventWebhooks.unexpected(operation, "an entry has no metrics");
    }
    try {
      return new EmailMetrics(
          count(m, "requests"),
          count(m, "processed"),
          count(m, "delivered"),
          count(m, "deferred"),
          count(m, "bounces"),
          count(m, "blocks"),
          count(m, "invalid_emails"),
          count(m, "spam_reports"),
          count(m, "unsubscribes"),
          count(m, "bounce_drops"),
          count(m, "spam_report_drops"),
          count(m, "unsubscribe_drops"),
          count(m, "opens"),
          count(m, "unique_opens"),
          count(m, "clicks"),
          count(m, "unique_clicks"));
    } catch (IllegalArgumentException e) {
      throw EventWebhooks.unexpected(operation, e.getMessage());
    }
  }

  /** A count SendGrid left out is 0; one that is not a whole number is refused. */
  private static long count(JsonNode m, String field) {
    JsonNode v = m.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return 0;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("metric " + field + " is not a whole number");
    }
    return v.asLong();
  }

  private static Optional<String> text(JsonNode n) {
    return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
  }
}
