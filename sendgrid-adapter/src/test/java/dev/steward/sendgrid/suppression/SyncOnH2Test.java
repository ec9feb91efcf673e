package dev.steward.sendgrid.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.InMemorySuppressionStore;
import dev.steward.consent.SuppressionReason;
import dev.steward.consent.SuppressionStore;
import dev.steward.jdbc.JdbcWorkStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * The sync's place survives the process: on a database work store, a sync whose page 2 failed is
 * resumed at page 2 by a new store, runner and sync over the same database, as after a restart.
 */
class SyncOnH2Test {
  @Test
  void aNewProcessResumesAtTheFailedPage() throws Exception {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    long t = now.getEpochSecond() - 3600;
    FakeSendGrid sendgrid = new FakeSendGrid();
    for (int i = 0; i < 5; i++) {
      sendgrid.entry("unsubscribes", t + i, "u" + i + "@acme.example", null);
    }
    sendgrid.failOnce("/v3/suppression/unsubscribes?2", 500);
    H2 h2 = new H2("sg-sync-" + System.nanoTime());
    StewardSchema.bootstrap(h2);
    SettableClock clock = SettableClock.of(now);
    SuppressionStore suppressions = InMemorySuppressionStore.of();
    TenantId acme = TenantId.of("acme");

    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(sendgrid);
      server.start();
      try (SendGridAdmin admin =
          SendGridAdmin.builder(clock, ApiKey.of("SG.parent.key"))
              .endpoint(server.url("/").uri())
              .retryPolicy(RetryPolicy.none())
              .build()) {
        WorkStore before = JdbcWorkStore.of(h2);
        SuppressionSync first = sync(admin, suppressions, clock);
        first.schedule(before, acme, Optional.of("tenant-acme"), Instant.EPOCH);
        ManualWorkDriver.of(first.register(WorkRunner.builder(before, clock)).build(), clock)
            .runDue();
        assertThat(sendgrid.offsets("unsubscribes")).containsExactly(0, 2);

        // "restart": nothing shared with the first process but the database
        WorkStore after = JdbcWorkStore.of(h2);
        WorkItem stored = after.find(SuppressionSync.key(acme)).orElseThrow();
        assertThat(stored.payload()).contains("\"offset\":2");
        SuppressionSync second = sync(admin, suppressions, clock);
        ManualWorkDriver.of(second.register(WorkRunner.builder(after, clock)).build(), clock)
            .advance(Duration.ofMinutes(2));

        assertThat(sendgrid.offsets("unsubscribes")).containsExactly(0, 2, 2, 4);
        for (int i = 0; i < 5; i++) {
          assertThat(
                  suppressions
                      .find(acme, EmailAddress.of("u" + i + "@acme.example"))
                      .flatMap(a -> a.active(SuppressionReason.UNSUBSCRIBE, Optional.empty())))
              .isPresent();
        }
        assertThat(sendgrid.problems).isEmpty();
      }
    }
  }

  private static SuppressionSync sync(
      SendGridAdmin admin, SuppressionStore store, SettableClock clock) {
    return SuppressionSync.builder(admin, store, clock)
        .pageSize(2)
        .settings(
            dev.steward.schedule.KindSettings.DEFAULT.withRetry(
                new dev.steward.schedule.RetryPolicy(
                    5, Duration.ofSeconds(30), Duration.ofMinutes(5))))
        .build();
  }
}
