package dev.steward.sendgrid.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Level;
import dev.steward.governance.StandingChange;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.TenantSubusers;
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
 * SendGrid's subuser reputation reaches governance as a warning once per drop below the threshold,
 * the last verdict kept in the work item across instances; requests checked against
 * tsg_subusers_v3.json.
 */
class ReputationWatchTest {
  private static final OpenApiSpec SUBUSERS = OpenApiSpec.of("tsg_subusers_v3.json");
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId LOOSE = TenantId.of("loose");
  private static final Duration EVERY = Duration.ofMinutes(30);

  private final MockWebServer server = new MockWebServer();
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:00:00Z"));
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private final InMemoryStandingStore standings = InMemoryStandingStore.of();
  private final GovernanceEvaluator governance =
      GovernanceEvaluator.builder(InMemoryGovernanceMetricsStore.of(), standings, clock).build();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  /** What SendGrid answers next: a reputation, or an HTTP status when negative. */
  private volatile double reputation = 95;

  private SendGridAdmin admin;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            problems.addAll(SUBUSERS.problems(r));
            if (reputation < 0) {
              return new MockResponse().setResponseCode((int) -reputation);
            }
            return new MockResponse()
                .setBody(
                    "[{\"reputation\":"
                        + reputation
                        + ",\"username\":\""
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

  private ReputationWatch watch() {
    return ReputationWatch.builder(
            admin, TenantSubusers.of(Map.of(ACME, "tenant-acme")), governance, work, clock)
        .threshold(80)
        .every(EVERY)
        .build();
  }

  private ManualWorkDriver driver(ReputationWatch w) {
    return ManualWorkDriver.of(w.register(WorkRunner.builder(work, clock)).build(), clock);
  }

  private List<String> warnings() {
    return standings.find(ACME).map(s -> s.history()).orElse(List.of()).stream()
        .map(StandingChange::explanation)
        .filter(e -> e.contains("reputation"))
        .toList();
  }

  @Test
  void aDropBelowTheThresholdWarnsOnceWithTheValueAndTheThreshold() {
    ReputationWatch w = watch();
    ManualWorkDriver driver = driver(w);
    assertThat(w.watch(ACME)).isTrue();
    assertThat(w.watch(ACME)).isFalse();

    driver.runDue();
    assertThat(warnings()).isEmpty();
    assertThat(governance.standing(ACME).level()).isEqualTo(Level.NONE);

    reputation = 72.5;
    driver.advance(EVERY);
    assertThat(warnings())
        .containsExactly(
            "SendGrid sender reputation of subuser tenant-acme fell to 72.5, below the threshold"
                + " 80.0");
    assertThat(governance.standing(ACME).level()).isEqualTo(Level.WARN);

    reputation = 60;
    driver.advance(EVERY);
    driver.advance(EVERY);
    assertThat(warnings()).as("still below: not warned again").hasSize(1);

    reputation = 85;
    driver.advance(EVERY);
    reputation = 79.9;
    driver.advance(EVERY);
    assertThat(warnings()).as("a second drop warns again").hasSize(2);
    assertThat(warnings().get(1)).contains("fell to 79.9");
    assertThat(server.getRequestCount()).isEqualTo(6);
  }

  @Test
  void anotherInstanceGoesOnFromWhatTheWorkItemHolds() {
    ReputationWatch first = watch();
    first.watch(ACME);
    reputation = 50;
    driver(first).runDue();
    assertThat(warnings()).hasSize(1);

    // the first instance is gone; a new one over the same work store reads the same drop
    ReputationWatch second = watch();
    driver(second).advance(EVERY);
    assertThat(warnings()).hasSize(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void failedReadsAreRetriedAndATenantWithoutSubuserIsDropped() {
    ReputationWatch w = watch();
    ManualWorkDriver driver = driver(w);
    w.watch(ACME);
    w.watch(LOOSE);
    reputation = -503;
    driver.runDue();
    assertThat(work.find(WorkKey.of(ACME, ReputationWatch.KIND, ReputationWatch.ID))).isPresent();
    assertThat(work.find(WorkKey.of(LOOSE, ReputationWatch.KIND, ReputationWatch.ID))).isEmpty();
    reputation = 40;
    driver.advance(Duration.ofMinutes(10));
    assertThat(warnings()).hasSize(1);
    assertThat(w.unwatch(ACME)).isTrue();
  }

  @Test
  void theBuilderRefusesWhatCannotWork() {
    ReputationWatch.Builder b =
        ReputationWatch.builder(admin, TenantSubusers.prefixed("tenant-"), governance, work, clock);
    assertThatThrownBy(() -> b.threshold(0)).hasMessageContaining("above 0 and at most 100");
    assertThatThrownBy(() -> b.threshold(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.every(Duration.ofSeconds(5)))
        .hasMessageContaining("1 minute to 7 days");
    assertThat(b.build().threshold()).isEqualTo(ReputationWatch.DEFAULT_THRESHOLD);
  }
}
