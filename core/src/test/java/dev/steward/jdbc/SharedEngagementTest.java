package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.BuiltInMeasures;
import dev.steward.health.EmailEngagementAggregator;
import dev.steward.health.EngagementRetention;
import dev.steward.health.Observation;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Email engagement kept in PostgreSQL: two application instances' aggregators count each other's
 * events, engagement recorded from outside the provider joins them, and a restart keeps it all.
 */
class SharedEngagementTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");
  private static final TenantId ISV_A = TenantId.of("isv-a");
  private static final TenantId ISV_B = TenantId.of("isv-b");
  private static final AccountId ACME = AccountId.of("acme");

  @BeforeEach
  void clear() {
    DB.clear();
  }

  /** An application instance: its own data source and store over the shared database. */
  private static EmailEngagementAggregator instance() {
    return EmailEngagementAggregator.builder(JdbcEngagementStore.of(DB.dataSource()))
        .window(Duration.ofDays(30))
        .build();
  }

  private static EmailEvent event(
      String id, EmailEventType type, TenantId tenant, String message, int minutes) {
    return EmailEvent.of(
        id,
        type,
        T0.plus(Duration.ofMinutes(minutes)),
        null,
        MessageId.of(message),
        tenant,
        ACME,
        ContactId.of("ann"),
        null,
        Map.of());
  }

  private static double measure(EmailEngagementAggregator agg, TenantId tenant, String measureId) {
    Map<String, Observation> o = agg.observations(tenant, ACME, T0.plus(Duration.ofDays(1)));
    return o.containsKey(measureId) ? o.get(measureId).value() : Double.NaN;
  }

  @Test
  void twoInstancesSeeEachOthersEventsAndARestartKeepsThem() {
    EmailEngagementAggregator one = instance();
    EmailEngagementAggregator two = instance();

    one.onEvents(
        List.of(
            event("d1", EmailEventType.DELIVERED, ISV_A, "m1", 0),
            event("d2", EmailEventType.DELIVERED, ISV_A, "m2", 0),
            event("o1", EmailEventType.OPEN, ISV_A, "m1", 5)));
    two.onEvents(
        List.of(
            event("o1", EmailEventType.OPEN, ISV_A, "m1", 5), // a provider retry, on the other
            event("o2", EmailEventType.OPEN, ISV_A, "m1", 9), // a second open of m1: still one
            event("c1", EmailEventType.CLICK, ISV_A, "m2", 7)));
    // the CSM's own mail and the account's reply, recorded from outside the provider
    two.recordSent(ISV_A, ACME, "csm-42", T0.plusSeconds(600), "csm-mail-42");
    one.recordReply(ISV_A, ACME, "reply-7", T0.plusSeconds(900), "Thanks, this is great");

    for (EmailEngagementAggregator agg : List.of(one, two)) {
      assertThat(measure(agg, ISV_A, BuiltInMeasures.EMAIL_VOLUME.id())).isEqualTo(3);
      assertThat(measure(agg, ISV_A, BuiltInMeasures.EMAIL_OPEN_RATE.id())).isEqualTo(1 / 3.0);
      assertThat(measure(agg, ISV_A, BuiltInMeasures.EMAIL_CLICK_RATE.id())).isEqualTo(1 / 3.0);
      assertThat(measure(agg, ISV_A, BuiltInMeasures.EMAIL_REPLY_RATE.id())).isEqualTo(1 / 3.0);
      assertThat(measure(agg, ISV_A, BuiltInMeasures.SENTIMENT.id())).isPositive();
    }
    Map<String, Observation> before = one.observations(ISV_A, ACME, T0.plus(Duration.ofDays(1)));

    EmailEngagementAggregator restarted = instance();

    assertThat(restarted.observations(ISV_A, ACME, T0.plus(Duration.ofDays(1)))).isEqualTo(before);
  }

  @Test
  void theSameAccountUnderTwoTenantsIsCountedApartAndErasedApart() {
    EmailEngagementAggregator one = instance();
    one.onEvents(
        List.of(
            event("a1", EmailEventType.DELIVERED, ISV_A, "m1", 0),
            event("b1", EmailEventType.DELIVERED, ISV_B, "m1", 0),
            event("b2", EmailEventType.DELIVERED, ISV_B, "m2", 0),
            event("b3", EmailEventType.SPAM_REPORT, ISV_B, "m2", 3)));
    EmailEngagementAggregator two = instance();

    assertThat(measure(two, ISV_A, BuiltInMeasures.EMAIL_VOLUME.id())).isEqualTo(1);
    assertThat(measure(two, ISV_A, BuiltInMeasures.EMAIL_SPAM_RATE.id())).isZero();
    assertThat(measure(two, ISV_B, BuiltInMeasures.EMAIL_VOLUME.id())).isEqualTo(2);
    assertThat(measure(two, ISV_B, BuiltInMeasures.EMAIL_SPAM_RATE.id())).isEqualTo(0.5);

    assertThat(two.forgetTenant(ISV_B)).isEqualTo(3);

    assertThat(measure(one, ISV_B, BuiltInMeasures.EMAIL_VOLUME.id())).isZero();
    assertThat(measure(one, ISV_A, BuiltInMeasures.EMAIL_VOLUME.id())).isEqualTo(1);
  }

  @Test
  void theRetentionPurgesOnlyWhatNoWindowReadsAsRecurringWork() {
    JdbcEngagementStore store = JdbcEngagementStore.of(DB.dataSource());
    EmailEngagementAggregator one =
        EmailEngagementAggregator.builder(store).window(Duration.ofDays(30)).build();
    one.onEvents(
        List.of(
            event("old", EmailEventType.DELIVERED, ISV_A, "m0", 0),
            event("new", EmailEventType.DELIVERED, ISV_B, "m1", 61 * 24 * 60)));
    SettableClock clock = SettableClock.of(T0.plus(Duration.ofDays(10)));
    EngagementRetention retention =
        EngagementRetention.builder(store, clock).aggregator(one).build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(
            retention.register(WorkRunner.builder(InMemoryWorkStore.of(clock), clock)).build(),
            clock);

    assertThat(retention.retention()).isEqualTo(Duration.ofDays(60));
    driver.runDue(); // at day 10 nothing is older than two windows
    assertThat(measure(one, ISV_A, BuiltInMeasures.EMAIL_VOLUME.id())).isEqualTo(1);

    driver.advanceTo(T0.plus(Duration.ofDays(62)));

    // the event of day 0 has gone, across tenants; day 61's stays
    assertThat(measure(one, ISV_A, BuiltInMeasures.EMAIL_VOLUME.id())).isZero();
    assertThat(
            one.observations(ISV_B, ACME, T0.plus(Duration.ofDays(62)))
                .get(BuiltInMeasures.EMAIL_VOLUME.id())
                .value())
        .isEqualTo(1);
    assertThat(retention.purgeAll()).isZero();
  }
}
