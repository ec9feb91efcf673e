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
 *
 * <p>One category or subuser per request: SendGrid's prose says the parameter may be repeated, but
 * its OpenAPI description (the contract the adapter is tested against) declares it a single string.
 */
public final class Stats {
  /** The largest page read. */
  public static final int MAX_PAGE = 500;

  private final ApiClient api;

  Stats(ApiClient api) {
    this.api = api;
  }

  /** The account's (or, with {@code onBehalfOf}, a subuser's) global statistics: one page. */
  public List<StatsRow> global(
      Optional<String> onBehalfOf, StatsPeriod period, int limit, int offset) {
    Map<String, String> q = period(period);
    page(q, limit, offset);
    return rows("read global stats", Names.onBehalfOf(onBehalfOf), q, "v3", "stats");
  }

  /** The statistics of one category. */
  public List<StatsRow> category(Optional<String> onBehalfOf, String category, StatsPeriod period) {
    Objects.requireNonNull(category, "category");
    if (category.isBlank() || category.length() > 255) {
      throw new IllegalArgumentException("category must be 1 to 255 characters");
    }
    Map<String, String> q = period(period);
    q.put("categories", category);
    return rows(
        "read category stats", Names.onBehalfOf(onBehalfOf), q, "v3", "categories", "stats");
  }

  /** The statistics of one subuser (parent key, no {@code on-behalf-of}): one page. */
  public List<StatsRow> subuser(String subuser, StatsPeriod period, int limit, int offset) {
    Names.subuser(subuser);
    Map<String, String> q = period(period);
    q.put("subusers", subuser);
    page(q, limit, offset);
    return rows("read subuser stats", Optional.empty(), q, "v3", "subusers", "stats");
  }

  private static Map<String, String> period(StatsPeriod period) {
    Objects.requireNonNull(period, "period");
    Map<String, String> q = new LinkedHashMap<>();
    q.put("start_date", period.start().toString());
    q.put("end_date", period.end().toString());
    q.put("aggregated_by", period.aggregation().queryValue());
    return q;
  }

  private static void page(Map<String, String> q, int limit, int offset) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", not " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, not " + offset);
    }
    q.put("limit", Integer.toString(limit));
    q.put("offset", Integer.toString(offset));
  }

  private List<StatsRow> rows(
      String operation, Optional<String> onBehalfOf, Map<String, String> q, String... path) {
    JsonNode answer = api.call(ApiRequest.get(operation, onBehalfOf, q, path));
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
