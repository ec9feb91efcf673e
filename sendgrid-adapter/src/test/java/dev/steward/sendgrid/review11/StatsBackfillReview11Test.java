package dev.steward.sendgrid.review11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.Granularity;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.Increment;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricsKey;
import dev.steward.model.TenantId;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.TenantSubusers;
import dev.steward.sendgrid.governance.StatsBackfill;
import dev.steward.sendgrid.governance.StatsBackfill.DayResult;
import dev.steward.sendgrid.governance.StatsBackfill.Outcome;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile review of StatsBackfill: crashes mid-day, overflowing counts, endless pages. */
class StatsBackfillReview11Test {
  private static final TenantId ACME = TenantId.of("acme");
  private static final LocalDate D1 = LocalDate.parse("2026-02-25");
  private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final MockWebServer server = new MockWebServer();
  private final InMemoryGovernanceMetricsStore store = InMemoryGovernanceMetricsStore.of();
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin =
        SendGridAdmin.builder(CLOCK, ApiKey.of("SG.parent.review11-backfill"))
            .endpoint(server.url("/").uri())
            .retryPolicy(RetryPolicy.none())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  private StatsBackfill backfill(dev.steward.governance.GovernanceMetricsStore s) {
    return StatsBackfill.builder(admin, s, TenantSubusers.prefixed("tenant-"), CLOCK).build();
  }

  private static String row(LocalDate day, String metrics) {
    return "{\"date\":\""
        + day
        + "\",\"stats\":[{\"type\":\"subuser\",\"name\":\"tenant-acme\",\"metrics\":"
        + metrics
        + "}]}";
  }

  private MetricCounts day(LocalDate d) {
    Instant s = d.atStartOfDay(ZoneOffset.UTC).toInstant();
    return store.counts(MetricsKey.of(ACME), Granularity.DAY, s, s.plus(Duration.ofDays(1)));
  }

  /**
   * The instance (or its database connection) dies after the first chunk of 1,000 increments of a
   * 1,500-processed day. The Javadoc promises a retry counts once thanks to deterministic ids; but
   * the retry sees the partial day as "webhook data" (HAS_DATA) and never completes it: 500 counts
   * are lost for good and governance reads a third less volume than SendGrid sent.
   */
  @Test
  void aBackFillThatDiedMidDayIsCompletedByTheRetry() {
    String metrics = "{\"processed\":1500}";
    server.enqueue(new MockResponse().setBody("[" + row(D1, metrics) + "]"));
    server.enqueue(new MockResponse().setBody("[" + row(D1, metrics) + "]"));
    AtomicInteger calls = new AtomicInteger();
    DelegatingStore dying =
        new DelegatingStore(store) {
          @Override
          public int add(Collection<Increment> increments) {
            if (calls.incrementAndGet() == 2) {
              throw new IllegalStateException("connection lost mid back-fill");
            }
            return d.add(increments);
          }
        };
    assertThatThrownBy(() -> backfill(dying).backfill(ACME, D1, D1))
        .hasMessageContaining("connection lost");
    assertThat(day(D1).processed()).isEqualTo(1000);

    DayResult retry = backfill(store).backfill(ACME, D1, D1).get(0);

    assertThat(day(D1).processed()).as("processed after the retry").isEqualTo(1500);
    assertThat(retry.outcome()).isEqualTo(Outcome.BACKFILLED);
  }

  /**
   * Counts whose sum overflows a long (SendGrid answering garbage near Long.MAX_VALUE) pass both
   * the "nothing" and the "too large" checks: the back-fill then tries to write ~9.2e18 increments
   * (a guard stops it here after 10,000). Expected: TOO_LARGE, nothing written.
   */
  @Test
  void countsWhoseSumOverflowsAreTooLargeNotAnEndlessWrite() {
    server.enqueue(
        new MockResponse()
            .setBody(
                "["
                    + row(
                        D1, "{\"processed\":9223372036854775807,\"delivered\":9223372036854775807}")
                    + "]"));
    AtomicLong written = new AtomicLong();
    DelegatingStore guarded =
        new DelegatingStore(store) {
          @Override
          public int add(Collection<Increment> increments) {
            if (written.addAndGet(increments.size()) > 10_000) {
              throw new IllegalStateException("runaway back-fill: over 10,000 increments written");
            }
            return d.add(increments);
          }
        };

    List<DayResult> r = backfill(guarded).backfill(ACME, D1, D1);

    assertThat(r.get(0).outcome()).isEqualTo(Outcome.TOO_LARGE);
    assertThat(day(D1)).isEqualTo(MetricCounts.ZERO);
  }

  /**
   * Counts that overflow to exactly zero when summed (2 x Long.MAX_VALUE + 2) make a day with
   * enormous traffic read as NO_STATS: the wrong outcome, silently.
   */
  @Test
  void countsWhoseSumOverflowsToZeroAreNotNoStats() {
    server.enqueue(
        new MockResponse()
            .setBody(
                "["
                    + row(
                        D1,
                        "{\"processed\":9223372036854775807,\"delivered\":9223372036854775807,"
                            + "\"bounces\":2}")
                    + "]"));

    List<DayResult> r = backfill(store).backfill(ACME, D1, D1);

    assertThat(r.get(0).outcome()).isEqualTo(Outcome.TOO_LARGE);
  }

  /**
   * A subuser's daily stats have one row per day, so a back-fill of at most 366 days can never need
   * a second page of 500. A server that ignores offset (or repeats its page) keeps the loop going
   * for ever; here it is cut at the 5th request by a 400.
   */
  @Test
  void aPageThatRepeatsForEverDoesNotKeepTheBackFillReading() {
    StringBuilder page = new StringBuilder("[");
    for (int i = 0; i < 500; i++) {
      page.append(i == 0 ? "" : ",").append(row(D1.minusDays(i), "{\"processed\":1}"));
    }
    String body = page.append(']').toString();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return server.getRequestCount() <= 5
                ? new MockResponse().setBody(body)
                : new MockResponse().setResponseCode(400);
          }
        });

    List<DayResult> r = backfill(store).backfill(ACME, D1, D1);

    assertThat(r).extracting(DayResult::outcome).containsExactly(Outcome.BACKFILLED);
    assertThat(server.getRequestCount()).isLessThanOrEqualTo(2);
  }

  /**
   * Days the governance store cannot hold (before 1677-09-21, StoreLimits' range) are "a wrong
   * range": the Javadoc promises an IllegalArgumentException before any request. Instead SendGrid
   * is asked, and the first count fails deep inside with core's InvalidGovernanceException. At the
   * other end, LocalDate.MAX fails with a bare DateTimeException.
   */
  @Test
  void daysOutsideTheStorableRangeAreRefusedBeforeAnyRequest() {
    LocalDate old = LocalDate.parse("1600-01-01");
    server.enqueue(new MockResponse().setBody("[" + row(old, "{\"processed\":5}") + "]"));

    assertThatThrownBy(() -> backfill(store).backfill(ACME, old, old))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).as("requests made").isZero();
    assertThatThrownBy(() -> backfill(store).backfill(ACME, LocalDate.MAX, LocalDate.MAX))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
