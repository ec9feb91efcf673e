package dev.steward.sendgrid.review16;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.StandingChange;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.TenantSubusers;
import dev.steward.sendgrid.governance.ReputationWatch;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import dev.steward.sendgrid.oai.OpenApiSpec;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's reputation watch is recurring work: SendGrid answering 500 for some hours must not end
 * it for good, and asking to watch the tenant again must watch it. Requests checked against
 * tsg_subusers_v3.json.
 */
class ReputationWatchOutageTest {
  private static final OpenApiSpec SUBUSERS = OpenApiSpec.of("tsg_subusers_v3.json");
  private static final TenantId ACME = TenantId.of("acme");

  private final MockWebServer server = new MockWebServer();
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:00:00Z"));
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private final InMemoryStandingStore standings = InMemoryStandingStore.of();
  private final GovernanceEvaluator governance =
      GovernanceEvaluator.builder(InMemoryGovernanceMetricsStore.of(), standings, clock).build();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private volatile boolean down;
  private volatile int downStatus = 500;
  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            problems.addAll(SUBUSERS.problems(r));
            if (down) {
              return new MockResponse().setResponseCode(downStatus);
            }
            return new MockResponse()
                .setBody(
                    "[{\"reputation\":42.0,\"username\":\""
                        + r.getRequestUrl().queryParameter("usernames")
                        + "\"}]");
          }
        });
    server.start();
    admin =
        SendGridAdmin.builder(clock, ApiKey.of("SG.parent.reputation-key"))
            .endpoint(server.url("/").uri())
            .retryPolicy(RetryPolicy.none())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
    assertThat(problems).as("requests outside SendGrid's OpenAPI file").isEmpty();
  }

  private List<String> warnings() {
    return standings.find(ACME).map(s -> s.history()).orElse(List.of()).stream()
        .map(StandingChange::explanation)
        .filter(e -> e.contains("reputation"))
        .toList();
  }

  @Test
  void aFewHoursOfSendGridFailuresDoNotEndTheWatchForGood() {
    ReputationWatch watch =
        ReputationWatch.builder(
                admin, TenantSubusers.of(Map.of(ACME, "tenant-acme")), governance, work, clock)
            .every(Duration.ofMinutes(30))
            .build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(watch.register(WorkRunner.builder(work, clock)).build(), clock);
    down = true;
    watch.watch(ACME);
    for (int minute = 0; minute < 6 * 60; minute += 5) {
      driver.advance(Duration.ofMinutes(5));
    }
    down = false;

    // the operator (or the application at start-up) asks again to watch the tenant
    watch.watch(ACME);
    for (int minute = 0; minute < 2 * 60; minute += 5) {
      driver.advance(Duration.ofMinutes(5));
    }

    assertThat(work.find(WorkKey.of(ACME, ReputationWatch.KIND, ReputationWatch.ID)))
        .hasValueSatisfying(i -> assertThat(i.state()).isNotEqualTo(WorkState.DEAD));
    assertThat(warnings()).as("the drop to 42 read after the outage").hasSize(1);
  }

  @Test
  void aWatchMadeDeadByARefusalIsWatchedAgainWhenAskedTo() {
    ReputationWatch watch =
        ReputationWatch.builder(
                admin, TenantSubusers.of(Map.of(ACME, "tenant-acme")), governance, work, clock)
            .every(Duration.ofMinutes(30))
            .build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(watch.register(WorkRunner.builder(work, clock)).build(), clock);
    WorkKey key = WorkKey.of(ACME, ReputationWatch.KIND, ReputationWatch.ID);
    downStatus = 403;
    down = true;
    watch.watch(ACME);
    driver.runDue();
    assertThat(work.find(key).orElseThrow().state()).isEqualTo(WorkState.DEAD);

    // the operator fixed the key's scopes and asks again to watch the tenant
    down = false;
    assertThat(watch.watch(ACME)).isTrue();
    driver.advance(Duration.ofMinutes(1));

    assertThat(work.find(key).orElseThrow().state()).isNotEqualTo(WorkState.DEAD);
    assertThat(warnings()).hasSize(1);
  }
}
