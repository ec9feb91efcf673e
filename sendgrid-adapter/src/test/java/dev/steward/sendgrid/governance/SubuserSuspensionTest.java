package dev.steward.sendgrid.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.Cause;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Level;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingChanged;
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
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tenant's subuser is disabled while governance suspends or terminates it, enabled after. */
class SubuserSuspensionTest {
  private static final OpenApiSpec SUBUSERS = OpenApiSpec.of("tsg_subusers_v3.json");
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId LOOSE = TenantId.of("loose");

  private final MockWebServer server = new MockWebServer();
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:00:00Z"));
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private SendGridAdmin admin;
  private SubuserSuspension suspension;
  private ManualWorkDriver driver;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin =
        SendGridAdmin.builder(clock, ApiKey.of("SG.parent.suspension-key"))
            .endpoint(server.url("/").uri())
            .retryPolicy(RetryPolicy.none())
            .build();
    suspension =
        SubuserSuspension.builder(
                admin, TenantSubusers.of(Map.of(ACME, "tenant-acme")), work, clock)
            .build();
    driver =
        ManualWorkDriver.of(suspension.register(WorkRunner.builder(work, clock)).build(), clock);
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  private StandingChanged change(TenantId tenant, Level from, Level to) {
    return new StandingChanged(
        tenant,
        clock.instant(),
        from,
        to,
        Cause.ESCALATED,
        "spam-report rate over the threshold",
        Standing.initial(tenant, clock.instant()));
  }

  private RecordedRequest next() throws InterruptedException {
    RecordedRequest r = server.takeRequest();
    assertThat(SUBUSERS.problems(r)).isEmpty();
    assertThat(r.getHeader("on-behalf-of")).isNull();
    return r;
  }

  @Test
  void suspensionDisablesTheSubuserAndLiftingItEnablesItAgain() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(204));
    server.enqueue(new MockResponse().setResponseCode(204));

    suspension.onChange(change(ACME, Level.QUARANTINE, Level.SUSPEND));
    assertThat(server.getRequestCount()).isZero();
    driver.runDue();
    RecordedRequest disable = next();
    assertThat(disable.getMethod() + " " + disable.getPath())
        .isEqualTo("PATCH /v3/subusers/tenant-acme");
    assertThat(disable.getBody().readUtf8()).isEqualTo("{\"disabled\":true}");

    suspension.onChange(change(ACME, Level.SUSPEND, Level.RESTRICT));
    driver.runDue();
    assertThat(next().getBody().readUtf8()).isEqualTo("{\"disabled\":false}");
    assertThat(work.find(WorkKey.of(ACME, SubuserSuspension.KIND, SubuserSuspension.ID))).isEmpty();
  }

  @Test
  void movesThatDoNotCrossTheStopLineCallNothing() {
    suspension.onChange(change(ACME, Level.NONE, Level.QUARANTINE));
    suspension.onChange(change(ACME, Level.SUSPEND, Level.TERMINATE));
    suspension.onChange(change(ACME, Level.TERMINATE, Level.SUSPEND));
    suspension.onChange(change(LOOSE, Level.QUARANTINE, Level.SUSPEND)); // no subuser
    driver.runDue();
    assertThat(server.getRequestCount()).isZero();
    assertThat(SubuserSuspension.stopsMail(Level.TERMINATE)).isTrue();
    assertThat(SubuserSuspension.stopsMail(Level.QUARANTINE)).isFalse();
  }

  @Test
  void theLatestChangeWinsWhenTheFirstHasNotRunYet() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(204));
    suspension.onChange(change(ACME, Level.QUARANTINE, Level.SUSPEND));
    suspension.onChange(change(ACME, Level.SUSPEND, Level.QUARANTINE));
    driver.runDue();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(next().getBody().readUtf8()).isEqualTo("{\"disabled\":false}");
  }

  @Test
  void aFailedCallIsRetriedAsDueWorkAndARefusedOneGoesDead() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(503));
    server.enqueue(
        new MockResponse()
            .setResponseCode(429)
            .addHeader("X-RateLimit-Reset", Long.toString(clock.instant().getEpochSecond() + 900)));
    server.enqueue(new MockResponse().setResponseCode(204));
    suspension.onChange(change(ACME, Level.QUARANTINE, Level.SUSPEND));
    driver.runDue();
    assertThat(server.getRequestCount()).isEqualTo(1);
    driver.advance(Duration.ofMinutes(5));
    assertThat(server.getRequestCount()).isEqualTo(2);
    // the 429 (at +5 min) resets at +15 min: not before
    driver.advance(Duration.ofMinutes(5));
    assertThat(server.getRequestCount()).isEqualTo(2);
    driver.advance(Duration.ofMinutes(6));
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(work.find(WorkKey.of(ACME, SubuserSuspension.KIND, SubuserSuspension.ID))).isEmpty();

    server.enqueue(
        new MockResponse()
            .setResponseCode(404)
            .setBody("{\"errors\":[{\"field\":\"username\",\"message\":\"unknown subuser\"}]}"));
    suspension.onChange(change(ACME, Level.SUSPEND, Level.NONE));
    driver.runDue();
    assertThat(work.dead(10))
        .singleElement()
        .satisfies(i -> assertThat(i.lastError()).contains("unknown subuser"));
  }

  @Test
  void withTheStandingStoreEachRunMakesSendGridHoldTheCurrentLevel() throws Exception {
    InMemoryStandingStore standings = InMemoryStandingStore.of();
    SubuserSuspension s =
        SubuserSuspension.builder(
                admin, TenantSubusers.of(Map.of(ACME, "tenant-acme")), work, clock)
            .standings(standings)
            .build();
    ManualWorkDriver d =
        ManualWorkDriver.of(s.register(WorkRunner.builder(work, clock)).build(), clock);
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse().setResponseCode(204));
    }
    Instant t1 = clock.instant();
    Instant t2 = t1.plusSeconds(5);
    clock.set(t2);
    standings.update(ACME, t2, st -> Standing.initial(ACME, t2)); // the override: back at NONE

    // the newer change is applied, its item completes; then the older one arrives
    s.onChange(at(t2, Level.SUSPEND, Level.NONE));
    d.runDue();
    s.onChange(at(t1, Level.NONE, Level.SUSPEND));
    d.runDue();

    assertThat(next().getBody().readUtf8()).isEqualTo("{\"disabled\":false}");
    assertThat(next().getBody().readUtf8())
        .as("the late SUSPEND's run reads the tenant's current NONE")
        .isEqualTo("{\"disabled\":false}");

    standings.update(
        ACME,
        t2,
        st ->
            new Standing(
                ACME,
                Level.SUSPEND,
                t2,
                Optional.empty(),
                Optional.empty(),
                false,
                Optional.empty(),
                List.of()));
    s.onChange(at(t2, Level.QUARANTINE, Level.SUSPEND));
    d.runDue();
    assertThat(next().getBody().readUtf8()).isEqualTo("{\"disabled\":true}");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aSubuserLookupThatFailsIsRetriedAsDueWork() throws Exception {
    java.util.concurrent.atomic.AtomicInteger lookups =
        new java.util.concurrent.atomic.AtomicInteger();
    SubuserSuspension s =
        SubuserSuspension.builder(
                admin,
                tenant -> {
                  if (lookups.incrementAndGet() == 1) {
                    throw new IllegalStateException("tenant records unavailable");
                  }
                  return Optional.of("tenant-acme");
                },
                work,
                clock)
            .build();
    ManualWorkDriver d =
        ManualWorkDriver.of(s.register(WorkRunner.builder(work, clock)).build(), clock);
    server.enqueue(new MockResponse().setResponseCode(204));

    s.onChange(change(ACME, Level.QUARANTINE, Level.SUSPEND));
    assertThat(lookups).as("nothing looked up on the evaluating thread").hasValue(0);
    d.runDue();
    assertThat(server.getRequestCount()).isZero();
    assertThat(work.find(WorkKey.of(ACME, SubuserSuspension.KIND, SubuserSuspension.ID)))
        .hasValueSatisfying(i -> assertThat(i.lastError()).contains("tenant records unavailable"));
    d.advance(Duration.ofMinutes(1));
    assertThat(next().getBody().readUtf8()).isEqualTo("{\"disabled\":true}");
  }

  private StandingChanged at(Instant at, Level from, Level to) {
    return new StandingChanged(
        ACME, at, from, to, Cause.ESCALATED, "test", Standing.initial(ACME, at));
  }
}
