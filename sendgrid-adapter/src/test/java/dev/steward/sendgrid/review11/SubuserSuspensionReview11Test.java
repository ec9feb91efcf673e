package dev.steward.sendgrid.review11;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.Cause;
import dev.steward.governance.Level;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingChanged;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.TenantSubusers;
import dev.steward.sendgrid.governance.SubuserSuspension;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile review of SubuserSuspension: flapping standings over two instances. */
class SubuserSuspensionReview11Test {
  private static final TenantId ACME = TenantId.of("acme");

  private final MockWebServer server = new MockWebServer();
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:00:00Z"));
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);
  private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch firstTry = new CountDownLatch(1);
  private SendGridAdmin adminA;
  private SendGridAdmin adminB;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            bodies.add(request.getBody().readUtf8());
            if (bodies.size() == 1) {
              firstTry.countDown();
              return new MockResponse().setResponseCode(503);
            }
            return new MockResponse().setResponseCode(204);
          }
        });
    server.start();
    // instance A retries a 5xx within the call after 1 to 2 s; instance B does not retry
    adminA =
        SendGridAdmin.builder(clock, ApiKey.of("SG.parent.review11-a"))
            .endpoint(server.url("/").uri())
            .retryPolicy(
                new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ZERO))
            .build();
    adminB =
        SendGridAdmin.builder(clock, ApiKey.of("SG.parent.review11-b"))
            .endpoint(server.url("/").uri())
            .retryPolicy(RetryPolicy.none())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    adminA.close();
    adminB.close();
    server.shutdown();
  }

  private StandingChanged change(Level from, Level to) {
    return new StandingChanged(
        ACME,
        clock.instant(),
        from,
        to,
        Cause.ESCALATED,
        "review11",
        Standing.initial(ACME, clock.instant()));
  }

  /**
   * SUSPEND then NONE while instance A's disable is waiting inside the API client to retry a 503.
   * The REPLACE drops A's lease, instance B claims the newer item and enables the subuser; then A's
   * in-call retry sends the stale disable anyway. SendGrid ends disabled while governance lets the
   * tenant send: the class promises "the latest standing wins", and nothing re-enables it.
   */
  @Test
  void aStaleDisableRetriedInsideTheCallDoesNotOverrideTheNewerEnable() throws Exception {
    TenantSubusers names = TenantSubusers.of(Map.of(ACME, "tenant-acme"));
    SubuserSuspension a = SubuserSuspension.builder(adminA, names, work, clock).build();
    SubuserSuspension b = SubuserSuspension.builder(adminB, names, work, clock).build();
    ManualWorkDriver driverA =
        ManualWorkDriver.of(a.register(WorkRunner.builder(work, clock)).build(), clock);
    ManualWorkDriver driverB =
        ManualWorkDriver.of(b.register(WorkRunner.builder(work, clock)).build(), clock);

    a.onChange(change(Level.QUARANTINE, Level.SUSPEND));
    Thread runA = new Thread(driverA::runDue, "instance-a");
    runA.start();
    assertThat(firstTry.await(10, TimeUnit.SECONDS)).isTrue();
    // the human override lifts the suspension while A waits to retry
    b.onChange(change(Level.SUSPEND, Level.NONE));
    driverB.runDue();
    runA.join(10_000);

    // fix11: each work run makes one request, so A's failed disable is not tried again inside
    // the call (it would be the stale third PATCH); its next try is a later run, which the newer
    // item replaced. SendGrid gets the failed disable, then the enable, and nothing after.
    assertThat(bodies)
        .as("PATCH bodies in the order SendGrid received them")
        .containsExactly("{\"disabled\":true}", "{\"disabled\":false}");
    assertThat(bodies.get(bodies.size() - 1))
        .as("the last word SendGrid got")
        .isEqualTo("{\"disabled\":false}");
  }

  /**
   * Two instances publish their standing changes after their own commits, so the events can reach
   * the listener out of order: B's override (SUSPEND to NONE at 09:00:05) is delivered before A's
   * older escalation (NONE to SUSPEND at 09:00:00). The listener REPLACEs by arrival, not by the
   * events' times (or the standing store's current level), so the stale SUSPEND wins and the
   * subuser is disabled while the tenant stands at NONE.
   */
  @Test
  void anOlderChangeDeliveredLateDoesNotOverrideTheNewerOne() throws Exception {
    TenantSubusers names = TenantSubusers.of(Map.of(ACME, "tenant-acme"));
    SubuserSuspension s = SubuserSuspension.builder(adminB, names, work, clock).build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(s.register(WorkRunner.builder(work, clock)).build(), clock);
    bodies.add("(placeholder: the dispatcher answers its first request 503)");
    Instant t1 = clock.instant();
    Instant t2 = t1.plusSeconds(5);
    clock.set(t2);
    StandingChanged older =
        new StandingChanged(
            ACME,
            t1,
            Level.NONE,
            Level.SUSPEND,
            Cause.ESCALATED,
            "review11",
            Standing.initial(ACME, t1));
    StandingChanged newer =
        new StandingChanged(
            ACME,
            t2,
            Level.SUSPEND,
            Level.NONE,
            Cause.ESCALATED,
            "review11",
            Standing.initial(ACME, t2));

    s.onChange(newer);
    s.onChange(older);
    driver.runDue();

    assertThat(bodies.subList(1, bodies.size()))
        .as("what SendGrid was told")
        .allMatch(b -> b.equals("{\"disabled\":false}"));
  }

  /**
   * The class moves the SendGrid call to due work because "core logs and ignores a listener's
   * exception, so a call that failed there would be lost". But it resolves the tenant's subuser on
   * the evaluating thread first: an application's TenantSubusers over its own tenant records that
   * fails once (a database hiccup) throws out of onChange, core logs and drops it, and the
   * suspension never reaches SendGrid, although the lookup works again a moment later.
   */
  @Test
  void aSubuserLookupThatFailsOnceDoesNotLoseTheSuspension() throws Exception {
    java.util.concurrent.atomic.AtomicInteger lookups =
        new java.util.concurrent.atomic.AtomicInteger();
    TenantSubusers flaky =
        tenant -> {
          if (lookups.incrementAndGet() == 1) {
            throw new IllegalStateException("tenant records unavailable for a moment");
          }
          return java.util.Optional.of("tenant-acme");
        };
    SubuserSuspension s = SubuserSuspension.builder(adminB, flaky, work, clock).build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(s.register(WorkRunner.builder(work, clock)).build(), clock);
    bodies.add("(placeholder: the dispatcher answers its first request 503)");

    // what core's GovernanceEvaluator.publish does: log the listener's exception and go on
    org.assertj.core.api.Assertions.catchThrowable(
        () -> s.onChange(change(Level.QUARANTINE, Level.SUSPEND)));
    driver.runDue();
    driver.advance(Duration.ofMinutes(10));

    assertThat(bodies.subList(1, bodies.size()))
        .as("what SendGrid was told")
        .containsExactly("{\"disabled\":true}");
  }
}
