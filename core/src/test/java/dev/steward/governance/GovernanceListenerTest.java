package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkKey;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How provider events reach the governance metrics. */
class GovernanceListenerTest {
  private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
  private static final TenantId ACME = TenantId.of("acme");

  private final InMemoryGovernanceMetricsStore store = InMemoryGovernanceMetricsStore.of();
  private final GovernanceListener listener = GovernanceListener.builder(store).build();

  private static EmailEvent ev(String id, EmailEventType type, String address, Instant at) {
    return EmailEvent.builder(id, type, at).tenant(ACME).email(address).build();
  }

  private MetricCounts today() {
    return MetricWindow.SPIKE_24H.read(store, MetricsKey.of(ACME), NOW);
  }

  @Test
  void everyEventTypeCountsWhereItShouldAndUnknownOnesAreCountedNotFatal() {
    listener.onEvents(
        List.of(
            ev("1", EmailEventType.PROCESSED, "a@x.com", NOW),
            ev("2", EmailEventType.DELIVERED, "a@x.com", NOW),
            EmailEvent.builder("3", EmailEventType.BOUNCE, NOW)
                .tenant(ACME)
                .email("b@x.com")
                .attribute("type", "bounce")
                .build(),
            EmailEvent.builder("4", EmailEventType.BOUNCE, NOW)
                .tenant(ACME)
                .email("b@x.com")
                .attribute("type", "Blocked")
                .build(),
            ev("5", EmailEventType.BLOCKED, "c@x.com", NOW),
            EmailEvent.builder("6", EmailEventType.DROPPED, NOW)
                .tenant(ACME)
                .email("d@x.com")
                .attribute("reason", "Invalid")
                .build(),
            EmailEvent.builder("7", EmailEventType.DROPPED, NOW)
                .tenant(ACME)
                .email("d@x.com")
                .attribute("reason", "Bounced Address")
                .build(),
            ev("8", EmailEventType.SPAM_REPORT, "a@x.com", NOW),
            ev("9", EmailEventType.UNSUBSCRIBE, "a@x.com", NOW),
            EmailEvent.builder("10", EmailEventType.GROUP_UNSUBSCRIBE, NOW)
                .tenant(ACME)
                .email("a@x.com")
                .category("news")
                .build(),
            ev("11", EmailEventType.DEFERRED, "a@x.com", NOW),
            ev("12", EmailEventType.OPEN, "a@x.com", NOW),
            EmailEvent.builder("13", EmailEventType.BOUNCE, NOW)
                .tenant(ACME)
                .email("b@x.com")
                .build(),
            EmailEvent.builder("14", EmailEventType.DROPPED, NOW)
                .tenant(ACME)
                .email("b@x.com")
                .build(),
            EmailEvent.builder("15", EmailEventType.DELIVERED, NOW).email("nobody@x.com").build()));
    assertThat(today()).isEqualTo(new MetricCounts(1, 1, 1, 2, 1, 1, 2, 1, 0));
    assertThat(listener.eventsNotClassified()).isEqualTo(2);
    assertThat(listener.eventsWithoutTenant()).isEqualTo(1);
  }

  @Test
  void applyingABatchAgainOrItsEventsOneByOneChangesNothing() {
    List<EmailEvent> batch =
        List.of(
            ev("1", EmailEventType.PROCESSED, "a@x.com", NOW),
            ev("2", EmailEventType.DELIVERED, "a@x.com", NOW),
            ev("3", EmailEventType.SPAM_REPORT, "a@x.com", NOW));
    listener.onEvents(batch);
    MetricCounts once = today();
    listener.onEvents(batch);
    for (EmailEvent e : batch) {
      listener.onEvents(List.of(e));
    }
    assertThat(today()).isEqualTo(once).isEqualTo(new MetricCounts(1, 1, 0, 0, 0, 1, 0, 0, 0));
  }

  @Test
  void mailToAnAddressMailedForHalfAYearWithoutAnOpenCountsAsSentToInactive() {
    Instant longAgo = NOW.minus(Duration.ofDays(200));
    listener.onEvents(
        List.of(
            ev("old-1", EmailEventType.PROCESSED, "sleeper@x.com", longAgo),
            ev("old-2", EmailEventType.PROCESSED, "reader@x.com", longAgo),
            ev("open", EmailEventType.CLICK, "reader@x.com", NOW.minus(Duration.ofDays(10)))));
    listener.onEvents(
        List.of(
            ev("n1", EmailEventType.PROCESSED, "sleeper@x.com", NOW),
            ev("n2", EmailEventType.PROCESSED, "reader@x.com", NOW),
            ev("n3", EmailEventType.PROCESSED, "new@x.com", NOW)));
    MetricCounts c = today();
    assertThat(c.processed()).isEqualTo(3);
    assertThat(c.sentToInactive()).isEqualTo(1);
    assertThat(GovernanceMetric.INACTIVE_SHARE.valueOf(c)).isEqualTo(1.0 / 3);
  }

  @Test
  void thePoolTravelsAsAnAttributeAndADefaultTenantServesEventsWithoutOne() {
    GovernanceListener l = GovernanceListener.builder(store).defaultTenant(ACME).build();
    l.onEvents(
        List.of(
            EmailEvent.builder("1", EmailEventType.DELIVERED, NOW)
                .email("a@x.com")
                .attribute("pool", "shared-1")
                .build()));
    assertThat(MetricWindow.SPIKE_24H.read(store, MetricsKey.pool("shared-1"), NOW).delivered())
        .isEqualTo(1);
    assertThat(MetricWindow.SPIKE_24H.read(store, MetricsKey.of(ACME, "shared-1"), NOW).delivered())
        .isEqualTo(1);
    assertThat(today().delivered()).isEqualTo(1);
  }

  @Test
  void aBatchSchedulesItsTenantsEvaluationAsDueWork() {
    SettableClock clock = SettableClock.of(NOW);
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    GovernanceEvaluator ev =
        GovernanceEvaluator.builder(store, InMemoryStandingStore.of(), clock).build();
    GovernanceListener l = GovernanceListener.builder(store).evaluateWith(ev, work).build();
    l.onEvents(List.of(ev("1", EmailEventType.DELIVERED, "a@x.com", NOW)));
    assertThat(work.find(WorkKey.of(ACME, GovernanceEvaluator.KIND, GovernanceEvaluator.ITEM_ID)))
        .hasValueSatisfying(i -> assertThat(i.dueAt()).isEqualTo(NOW));
  }

  @Test
  void anEventDatedMoreThanTheSkewAheadOfTheClockIsCountedAsSuchNotInTheMetrics() {
    SettableClock clock = SettableClock.of(NOW);
    GovernanceListener l = GovernanceListener.builder(store).clock(clock).build();
    Instant edge = NOW.plus(GovernanceListener.MAX_FUTURE_SKEW);
    l.onEvents(
        List.of(
            ev("at-the-edge", EmailEventType.DELIVERED, "a@x.com", edge),
            ev("beyond", EmailEventType.DELIVERED, "a@x.com", edge.plusSeconds(1)),
            ev("far", EmailEventType.SPAM_REPORT, "a@x.com", NOW.plus(Duration.ofDays(16))),
            ev("open", EmailEventType.OPEN, "a@x.com", NOW.plus(Duration.ofDays(16)))));
    assertThat(l.eventsFromTheFuture()).isEqualTo(3);
    assertThat(MetricWindow.SPIKE_24H.read(store, MetricsKey.of(ACME), edge).delivered())
        .isEqualTo(1);
    assertThat(
            MetricWindow.SEVEN_DAYS
                .read(store, MetricsKey.of(ACME), NOW.plus(Duration.ofDays(16)))
                .spamReports())
        .isZero();
    assertThat(store.activity(ACME, List.of(dev.steward.model.EmailAddress.of("a@x.com"))))
        .isEmpty();
    // the same event once the clock has caught up counts: refusing it marked nothing
    clock.set(NOW.plus(Duration.ofDays(16)));
    l.onEvents(
        List.of(ev("far", EmailEventType.SPAM_REPORT, "a@x.com", NOW.plus(Duration.ofDays(16)))));
    assertThat(
            MetricWindow.SEVEN_DAYS
                .read(store, MetricsKey.of(ACME), NOW.plus(Duration.ofDays(16)))
                .spamReports())
        .isEqualTo(1);
  }

  @Test
  void withoutAClockNoEventIsRefusedForItsTime() {
    listener.onEvents(
        List.of(ev("far", EmailEventType.DELIVERED, "a@x.com", NOW.plus(Duration.ofDays(16)))));
    assertThat(listener.eventsFromTheFuture()).isZero();
    assertThat(
            MetricWindow.SPIKE_24H
                .read(store, MetricsKey.of(ACME), NOW.plus(Duration.ofDays(16)))
                .delivered())
        .isEqualTo(1);
  }

  @Test
  void theListenerTakesTheEvaluatorsClock() {
    SettableClock clock = SettableClock.of(NOW.minus(Duration.ofDays(30)));
    GovernanceEvaluator ev =
        GovernanceEvaluator.builder(store, InMemoryStandingStore.of(), clock).build();
    GovernanceListener l =
        GovernanceListener.builder(store).evaluateWith(ev, InMemoryWorkStore.of(clock)).build();
    l.onEvents(List.of(ev("1", EmailEventType.DELIVERED, "a@x.com", NOW)));
    assertThat(l.eventsFromTheFuture()).isEqualTo(1);
    assertThat(today().delivered()).isZero();
  }
}
