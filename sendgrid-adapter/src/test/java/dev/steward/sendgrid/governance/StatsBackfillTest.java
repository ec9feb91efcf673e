package dev.steward.sendgrid.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.ActivityTouch;
import dev.steward.governance.Counter;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.Granularity;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.Increment;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricsKey;
import dev.steward.governance.RecipientActivity;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.TenantSubusers;
import dev.steward.sendgrid.governance.StatsBackfill.DayResult;
import dev.steward.sendgrid.governance.StatsBackfill.Outcome;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import dev.steward.sendgrid.oai.OpenApiSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Governance metrics back-filled from SendGrid's subuser stats for settled days the webhook did not
 * count, and never on top of what it counted.
 */
class StatsBackfillTest {
  private static final OpenApiSpec SUBUSERS = OpenApiSpec.of("tsg_subusers_v3.json");
  private static final TenantId ACME = TenantId.of("acme");
  private static final LocalDate D1 = LocalDate.parse("2026-02-25");
  private static final LocalDate D2 = LocalDate.parse("2026-02-26");
  private static final LocalDate D3 = LocalDate.parse("2026-02-27");
  // 2026-03-02T09:00Z: D1..D3 ended at least 48 h ago, 2026-02-28 and 2026-03-01 did not
  private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final MockWebServer server = new MockWebServer();
  private final InMemoryGovernanceMetricsStore store = InMemoryGovernanceMetricsStore.of();
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin =
        SendGridAdmin.builder(CLOCK, ApiKey.of("SG.parent.backfill-key"))
            .endpoint(server.url("/").uri())
            .retryPolicy(
                new RetryPolicy(
                    2, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(1)))
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  private StatsBackfill backfill(GovernanceMetricsStore s) {
    return StatsBackfill.builder(admin, s, TenantSubusers.prefixed("tenant-"), CLOCK).build();
  }

  private static String row(LocalDate day, String metrics) {
    return "{\"date\":\""
        + day
        + "\",\"stats\":[{\"type\":\"subuser\",\"name\":\"tenant-acme\",\"metrics\":"
        + metrics
        + "}]}";
  }

  private static final String DAY_METRICS =
      "{\"requests\":130,\"processed\":120,\"delivered\":100,\"deferred\":7,\"bounces\":6,"
          + "\"blocks\":5,\"invalid_emails\":4,\"spam_reports\":3,\"unsubscribes\":2,"
          + "\"bounce_drops\":9,\"opens\":50,\"unique_opens\":40,\"clicks\":11,\"unique_clicks\":8}";

  private static final MetricCounts DAY_COUNTS = new MetricCounts(120, 100, 6, 5, 4, 3, 2, 7, 0);

  private MetricCounts day(LocalDate d, Granularity g) {
    Instant s = d.atStartOfDay(ZoneOffset.UTC).toInstant();
    return store.counts(MetricsKey.of(ACME), g, s, s.plus(Duration.ofDays(1)));
  }

  @Test
  void aSettledDayWithoutWebhookDataIsBackFilledAndOneWithItIsLeftAlone() throws Exception {
    // the webhook counted one delivery on D2
    store.add(Increment.of(ACME, "sg-1", Counter.DELIVERED, Instant.parse("2026-02-26T10:00:00Z")));
    server.enqueue(
        new MockResponse()
            .setBody(
                "["
                    + row(D1, DAY_METRICS)
                    + ","
                    + row(D2, DAY_METRICS)
                    + ","
                    + row(D3, "{\"processed\":0}")
                    + "]"));

    List<DayResult> r = backfill(store).backfill(ACME, D1, LocalDate.parse("2026-03-01"));

    assertThat(r)
        .extracting(DayResult::outcome)
        .containsExactly(
            Outcome.BACKFILLED,
            Outcome.HAS_DATA,
            Outcome.NO_STATS,
            Outcome.NOT_SETTLED,
            Outcome.NOT_SETTLED);
    assertThat(r.get(0).counted()).isEqualTo(DAY_COUNTS);
    assertThat(day(D1, Granularity.DAY)).isEqualTo(DAY_COUNTS);
    assertThat(day(D1, Granularity.HOUR)).isEqualTo(DAY_COUNTS);
    // spread over the day: no hour holds more than its share (120 processed: 5 an hour)
    Instant s = D1.atStartOfDay(ZoneOffset.UTC).toInstant();
    for (int h = 0; h < 24; h++) {
      MetricCounts hour =
          store.counts(
              MetricsKey.of(ACME),
              Granularity.HOUR,
              s.plus(Duration.ofHours(h)),
              s.plus(Duration.ofHours(h + 1)));
      assertThat(hour.processed()).isEqualTo(5);
    }
    assertThat(day(D2, Granularity.DAY)).isEqualTo(new MetricCounts(0, 1, 0, 0, 0, 0, 0, 0, 0));

    RecordedRequest req = server.takeRequest();
    assertThat(req.getRequestUrl().encodedPath()).isEqualTo("/v3/subusers/stats");
    assertThat(req.getRequestUrl().queryParameter("subusers")).isEqualTo("tenant-acme");
    assertThat(req.getRequestUrl().queryParameter("start_date")).isEqualTo("2026-02-25");
    assertThat(req.getRequestUrl().queryParameter("end_date")).isEqualTo("2026-03-01");
    assertThat(req.getRequestUrl().queryParameter("aggregated_by")).isEqualTo("day");
    assertThat(SUBUSERS.problems(req)).isEmpty();
  }

  @Test
  void aSecondBackFillOfTheSameDayCountsNothingMore() {
    server.enqueue(new MockResponse().setBody("[" + row(D1, DAY_METRICS) + "]"));
    server.enqueue(new MockResponse().setBody("[" + row(D1, DAY_METRICS) + "]"));
    backfill(store).backfill(ACME, D1, D1);
    assertThat(backfill(store).backfill(ACME, D1, D1).get(0).outcome()).isEqualTo(Outcome.HAS_DATA);
    assertThat(day(D1, Granularity.DAY)).isEqualTo(DAY_COUNTS);
  }

  @Test
  void twoInstancesRacingPastTheEmptinessCheckStillCountOnce() {
    // the second instance read the day as empty before the first one's counts landed
    GovernanceMetricsStore raced = new BlindCounts(store);
    server.enqueue(new MockResponse().setBody("[" + row(D1, DAY_METRICS) + "]"));
    server.enqueue(new MockResponse().setBody("[" + row(D1, DAY_METRICS) + "]"));
    assertThat(backfill(store).backfill(ACME, D1, D1).get(0).counted()).isEqualTo(DAY_COUNTS);
    DayResult second = backfill(raced).backfill(ACME, D1, D1).get(0);
    assertThat(second.outcome()).isEqualTo(Outcome.BACKFILLED);
    assertThat(second.counted()).isEqualTo(MetricCounts.ZERO);
    assertThat(day(D1, Granularity.DAY)).isEqualTo(DAY_COUNTS);
  }

  @Test
  void aDayLargerThanTheLimitIsNotBackFilled() {
    server.enqueue(new MockResponse().setBody("[" + row(D1, DAY_METRICS) + "]"));
    StatsBackfill small =
        StatsBackfill.builder(admin, store, TenantSubusers.prefixed("tenant-"), CLOCK)
            .maxCountsPerDay(246)
            .build();
    assertThat(small.backfill(ACME, D1, D1).get(0).outcome()).isEqualTo(Outcome.TOO_LARGE);
    assertThat(day(D1, Granularity.DAY)).isEqualTo(MetricCounts.ZERO);
    server.enqueue(new MockResponse().setBody("[" + row(D1, DAY_METRICS) + "]"));
    StatsBackfill enough =
        StatsBackfill.builder(admin, store, TenantSubusers.prefixed("tenant-"), CLOCK)
            .maxCountsPerDay(247)
            .build();
    assertThat(enough.backfill(ACME, D1, D1).get(0).outcome()).isEqualTo(Outcome.BACKFILLED);
  }

  @Test
  void onlyUnsettledDaysAskSendGridNothingAndBadInputIsRefusedFirst() {
    LocalDate yesterday = LocalDate.parse("2026-03-01");
    assertThat(backfill(store).backfill(ACME, yesterday, LocalDate.parse("2026-03-02")))
        .extracting(DayResult::outcome)
        .containsOnly(Outcome.NOT_SETTLED);
    assertThatThrownBy(() -> backfill(store).backfill(ACME, D2, D1))
        .hasMessageContaining("is before start");
    assertThatThrownBy(() -> backfill(store).backfill(ACME, D1.minusDays(400), D1))
        .hasMessageContaining("at most 366 days");
    StatsBackfill none =
        StatsBackfill.builder(admin, store, TenantSubusers.of(Map.of()), CLOCK).build();
    assertThatThrownBy(() -> none.backfill(ACME, D1, D1))
        .hasMessageContaining("tenant acme has no SendGrid subuser");
    assertThatThrownBy(
            () ->
                StatsBackfill.builder(admin, store, TenantSubusers.of(Map.of()), CLOCK)
                    .settle(Duration.ofHours(23)))
        .hasMessageContaining("at least 24 hours");
    assertThat(server.getRequestCount()).isZero();
  }

  /** A store that answers every read as empty: another instance's view before a write landed. */
  private static final class BlindCounts implements GovernanceMetricsStore {
    private final GovernanceMetricsStore d;

    BlindCounts(GovernanceMetricsStore d) {
      this.d = d;
    }

    @Override
    public int add(Collection<Increment> increments) {
      return d.add(increments);
    }

    @Override
    public MetricCounts counts(MetricsKey key, Granularity g, Instant from, Instant to) {
      return MetricCounts.ZERO;
    }

    @Override
    public Map<EmailAddress, RecipientActivity> activity(
        TenantId tenant, Collection<EmailAddress> addresses) {
      return d.activity(tenant, addresses);
    }

    @Override
    public void touch(Collection<ActivityTouch> touches) {
      d.touch(touches);
    }

    @Override
    public int purgeBefore(Granularity g, Instant cutoff, int max) {
      return d.purgeBefore(g, cutoff, max);
    }

    @Override
    public int purgeMarksBefore(Instant cutoff, int max) {
      return d.purgeMarksBefore(cutoff, max);
    }

    @Override
    public boolean eraseAddress(TenantId tenant, EmailAddress address) {
      return d.eraseAddress(tenant, address);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return d.eraseTenant(tenant);
    }
  }
}
