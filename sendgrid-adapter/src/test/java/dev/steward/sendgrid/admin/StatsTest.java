package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.sendgrid.oai.OpenApiSpec;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Global, category and subuser statistics as typed rows; requests checked against the files. */
class StatsTest {
  private static final OpenApiSpec STATS = OpenApiSpec.of("tsg_stats_v3.json");
  private static final OpenApiSpec SUBUSERS = OpenApiSpec.of("tsg_subusers_v3.json");
  private static final LocalDate D1 = LocalDate.parse("2026-02-27");
  private static final LocalDate D2 = LocalDate.parse("2026-02-28");

  private final MockWebServer server = new MockWebServer();
  private final AdminFixtures.Waits waits = new AdminFixtures.Waits();
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin = AdminFixtures.admin(server, waits);
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  /** SendGrid's metrics object with distinct values, so a field read from the wrong key shows. */
  static String metrics(int base) {
    String[] names = {
      "requests",
      "processed",
      "delivered",
      "deferred",
      "bounces",
      "blocks",
      "invalid_emails",
      "spam_reports",
      "unsubscribes",
      "bounce_drops",
      "spam_report_drops",
      "unsubscribe_drops",
      "opens",
      "unique_opens",
      "clicks",
      "unique_clicks"
    };
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      b.append(i == 0 ? "" : ",").append('"').append(names[i]).append("\":").append(base + i);
    }
    return b.append('}').toString();
  }

  static EmailMetrics expected(int base) {
    long b = base;
    return new EmailMetrics(
        b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12,
        b + 13, b + 14, b + 15);
  }

  @Test
  void globalStatsAreReadOnBehalfOfASubuserPagedAndTyped() throws Exception {
    server.enqueue(
        new MockResponse()
            .setBody(
                "[{\"date\":\"2026-02-27\",\"stats\":[{\"metrics\":"
                    + metrics(100)
                    + "}]},{\"date\":\"2026-02-28\",\"stats\":[{\"metrics\":"
                    + metrics(200)
                    + "}]}]"));
    List<StatsRow> rows =
        admin.stats().global(Optional.of("tenant-acme"), StatsPeriod.days(D1, D2), 2, 4);
    assertThat(rows).extracting(StatsRow::date).containsExactly(D1, D2);
    assertThat(rows.get(0).entries()).hasSize(1);
    assertThat(rows.get(0).entries().get(0).metrics()).isEqualTo(expected(100));
    assertThat(rows.get(1).entries().get(0).metrics()).isEqualTo(expected(200));
    assertThat(rows.get(1).entries().get(0).name()).isEmpty();

    RecordedRequest r = server.takeRequest();
    assertThat(r.getPath())
        .isEqualTo(
            "/v3/stats?start_date=2026-02-27&end_date=2026-02-28&aggregated_by=day&limit=2&offset=4");
    assertThat(r.getHeader("on-behalf-of")).isEqualTo("tenant-acme");
    assertThat(STATS.problems(r)).isEmpty();
  }

  @Test
  void categoryStatsAreReadOneCategoryPerRequest() throws Exception {
    server.enqueue(
        new MockResponse()
            .setBody(
                "[{\"date\":\"2026-02-27\",\"stats\":["
                    + "{\"type\":\"category\",\"name\":\"onboarding\",\"metrics\":"
                    + metrics(1)
                    + "}]}]"));
    List<StatsRow> rows =
        admin
            .stats()
            .category(
                Optional.empty(), "onboarding", new StatsPeriod(D1, D1, StatsAggregation.WEEK));
    assertThat(rows.get(0).metricsOf("onboarding")).contains(expected(1));
    assertThat(rows.get(0).metricsOf("renewal")).isEmpty();
    assertThat(rows.get(0).entries().get(0).type()).contains("category");
    RecordedRequest r = server.takeRequest();
    assertThat(r.getRequestUrl().encodedPath()).isEqualTo("/v3/categories/stats");
    assertThat(r.getRequestUrl().queryParameterValues("categories")).containsExactly("onboarding");
    assertThat(r.getRequestUrl().queryParameter("aggregated_by")).isEqualTo("week");
    assertThat(r.getHeader("on-behalf-of")).isNull();
    assertThat(STATS.problems(r)).isEmpty();
  }

  @Test
  void subuserStatsUseTheParentKeyAlone() throws Exception {
    server.enqueue(
        new MockResponse()
            .setBody(
                "[{\"date\":\"2026-02-27\",\"stats\":[{\"type\":\"subuser\",\"name\":\"tenant-acme\","
                    + "\"metrics\":"
                    + metrics(7)
                    + "}]}]"));
    List<StatsRow> rows = admin.stats().subuser("tenant-acme", StatsPeriod.days(D1, D2), 500, 0);
    assertThat(rows.get(0).metricsOf("tenant-acme")).contains(expected(7));
    RecordedRequest r = server.takeRequest();
    assertThat(r.getRequestUrl().encodedPath()).isEqualTo("/v3/subusers/stats");
    assertThat(r.getRequestUrl().queryParameter("subusers")).isEqualTo("tenant-acme");
    assertThat(r.getHeader("on-behalf-of")).isNull();
    assertThat(SUBUSERS.problems(r)).isEmpty();
  }

  @Test
  void badInputIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> StatsPeriod.days(D2, D1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stats end 2026-02-27 is before start 2026-02-28");
    Stats stats = admin.stats();
    StatsPeriod p = StatsPeriod.days(D1, D2);
    assertThatThrownBy(() -> stats.global(Optional.empty(), p, 0, 0))
        .hasMessageContaining("limit must be 1 to 500, not 0");
    assertThatThrownBy(() -> stats.global(Optional.empty(), p, 10, -1))
        .hasMessageContaining("offset must not be negative");
    assertThatThrownBy(() -> stats.category(Optional.empty(), " ", p))
        .hasMessageContaining("category must be 1 to 255 characters");
    assertThatThrownBy(() -> stats.subuser("a/b", p, 10, 0)).hasMessageContaining("slash");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void failuresAreTypedAndReadsAreRetried() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(400)
            .setBody(
                "{\"errors\":[{\"field\":\"start_date\",\"message\":\"start_date must be in"
                    + " YYYY-MM-DD format\"}]}"));
    assertThatThrownBy(() -> admin.stats().global(Optional.empty(), StatsPeriod.days(D1, D2), 5, 0))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ApiFailureKind.BAD_REQUEST);
              assertThat(e.fieldErrors().get(0).field()).contains("start_date");
            });
    server.enqueue(new MockResponse().setResponseCode(502));
    server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .addHeader("X-RateLimit-Reset", Long.toString(AdminFixtures.NOW.getEpochSecond() + 1)));
    server.enqueue(new MockResponse().setBody("[]"));
    assertThat(admin.stats().global(Optional.empty(), StatsPeriod.days(D1, D2), 5, 0)).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(waits.seen).hasSize(2);

    server.enqueue(
        new MockResponse()
            .setBody("[{\"date\":\"2026-02-27\",\"stats\":[{\"metrics\":{\"processed\":-3}}]}]"));
    assertThatThrownBy(() -> admin.stats().global(Optional.empty(), StatsPeriod.days(D1, D2), 5, 0))
        .isInstanceOfSatisfying(
            SendGridApiException.class,
            e -> assertThat(e.kind()).isEqualTo(ApiFailureKind.UNEXPECTED_ANSWER))
        .hasMessageContaining("must not be negative");
    server.enqueue(new MockResponse().setBody("[{\"date\":\"27/02/2026\",\"stats\":[]}]"));
    assertThatThrownBy(() -> admin.stats().global(Optional.empty(), StatsPeriod.days(D1, D2), 5, 0))
        .hasMessageContaining("no date as YYYY-MM-DD");
  }
}
