package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.MailTransport;
import dev.steward.delivery.SendResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.JourneyAnalytics;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.NumberedContacts;
import dev.steward.journey.Step;
import dev.steward.journey.StepOutcome;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile review (rb2): an instance killed (its connections closed) inside a batch's unit of first
 * changes on PostgreSQL, after its messages went out: inside the set-based advance (its UPDATE, or
 * its history INSERT) or inside the writes kept for the commit (the analytics' marks). Another
 * instance takes the batch over after the lease: every message left once, every step is stored
 * once, and every outcome is counted once.
 */
class BatchUnitKillAttackPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId T = TenantId.of("t1");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JourneyDefinition ONCE =
      JourneyDefinition.builder("once", 1)
          .step(Step.Send.of("only", "tpl-only", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();
  private static final int N = 30;
  private static final Duration LEASE = Duration.ofSeconds(2);

  private final SettableClock clock = SettableClock.of(T0);
  private final Map<String, AtomicInteger> left = new ConcurrentHashMap<>();

  /** One instance over {@code ds}: its scheduler, its analytics and its runner. */
  private final class Instance {
    final JourneyScheduler journeys;
    final JourneyAnalytics analytics;
    final WorkRunner runner;

    Instance(String name, DataSource ds) {
      WorkStore work = JdbcWorkStore.of(ds);
      MailTransport transport =
          m -> {
            left.computeIfAbsent(m.id().value(), k -> new AtomicInteger()).incrementAndGet();
            return SendResult.accepted("p-" + m.id());
          };
      Dispatcher dispatcher =
          Dispatcher.builder(transport, clock)
              .workStore(work)
              .ledger(JdbcDeliveryLedger.of(ds))
              .build();
      JdbcJourneyStore store = JdbcJourneyStore.of(ds);
      analytics =
          JourneyAnalytics.builder(JdbcJourneyAnalyticsStore.of(ds), clock).journeys(store).build();
      journeys =
          JourneyScheduler.builder(clock, store, work)
              .journey(ONCE)
              .dispatcher(dispatcher)
              .outcomeListener(analytics.outcomeListener())
              .build();
      runner =
          journeys
              .registerWith(
                  dispatcher.registerWith(
                      WorkRunner.builder(work, clock).owner(name).batchSize(100).lease(LEASE)))
              .build();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "UPDATE steward_journey_enrolment e ", // the set-based compare-and-set
        "INSERT INTO steward_journey_history", // its history, after the UPDATE
        "INSERT INTO steward_journey_mark" // the analytics' marks, written before the commit
      })
  void anInstanceKilledInsideTheBatchUnitIsTakenOverWithEachStepOnceAndEachSendOnce(String at) {
    DB.clear();
    KillableDataSource victimConnections = new KillableDataSource(DB.dataSource());
    HookedDataSource hooked = new HookedDataSource(victimConnections);
    Instance victim = new Instance("victim", hooked);
    Instance survivor = new Instance("survivor", DB.dataSource());
    NumberedContacts.enrolAll(survivor.journeys, T, N, "once");
    AtomicInteger killed = new AtomicInteger();
    hooked.before(
        at,
        () -> {
          killed.incrementAndGet();
          victimConnections.kill();
        });

    try {
      victim.runner.runDue();
    } catch (RuntimeException e) {
      // a dead instance's runner may fail however it fails: what counts is what it left
    }
    assertThat(killed).as("killed at %s", at).hasValue(1);
    assertThat(left).as("the victim's batch went out before it died").hasSize(N);

    TestDatabase.passRealTime(LEASE);
    survivor.runner.runDue();

    assertThat(left).hasSize(N);
    assertThat(left.values()).extracting(AtomicInteger::get).containsOnly(1);
    JdbcJourneyStore store = JdbcJourneyStore.of(DB.dataSource());
    for (int i = 0; i < N; i++) {
      Enrolment e = store.enrolments(T, ContactId.of("c" + i)).get(0);
      assertThat(e.state().finished()).as(e.id()).isTrue();
      assertThat(store.history(T, e.id()))
          .extracting(HistoryEntry::outcome)
          .as(e.id())
          .containsExactly(StepOutcome.ENTERED, StepOutcome.SENT);
    }
    assertThat(survivor.analytics.funnel(T, ONCE).total(JourneyMetric.ENTERED)).isEqualTo(N);
    assertThat(survivor.analytics.funnel(T, ONCE).total(JourneyMetric.SENT)).isEqualTo(N);
  }

  /**
   * The commit of a batch's unit is made, but its acknowledgement lost: the unit's rerun stores
   * each change alone, finds each applied (its compare-and-set lost to itself) and goes on; every
   * outcome is told once (with the unit, not again by the rerun) and counted once.
   */
  @Test
  void aBatchUnitWhoseCommitAcknowledgementIsLostTellsAndCountsEachOutcomeOnce() {
    DB.clear();
    FlakyDataSource losing = new FlakyDataSource(DB.dataSource());
    HookedDataSource hooked = new HookedDataSource(losing);
    Map<String, AtomicInteger> told = new ConcurrentHashMap<>();
    WorkStore work = JdbcWorkStore.of(hooked);
    Dispatcher dispatcher =
        Dispatcher.builder(
                m -> {
                  left.computeIfAbsent(m.id().value(), k -> new AtomicInteger()).incrementAndGet();
                  return SendResult.accepted("p-" + m.id());
                },
                clock)
            .workStore(work)
            .ledger(JdbcDeliveryLedger.of(hooked))
            .build();
    JdbcJourneyStore store = JdbcJourneyStore.of(hooked);
    JourneyAnalytics analytics =
        JourneyAnalytics.builder(JdbcJourneyAnalyticsStore.of(hooked), clock)
            .journeys(store)
            .build();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, store, work)
            .journey(ONCE)
            .dispatcher(dispatcher)
            .outcomeListener(
                (d, e, h) -> {
                  analytics.outcomeListener().onOutcome(d, e, h);
                  if (h.outcome() == StepOutcome.SENT) {
                    told.computeIfAbsent(e.id(), k -> new AtomicInteger()).incrementAndGet();
                  }
                })
            .build();
    NumberedContacts.enrolAll(journeys, T, N, "once");
    WorkRunner runner =
        journeys
            .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock).batchSize(100)))
            .build();
    hooked.before(
        "UPDATE steward_journey_enrolment e ",
        () -> losing.commitAcknowledgement().fail(1, "08006"));

    runner.runDue();

    assertThat(losing.commitAcknowledgement().failed())
        .as("the unit's commit was reported lost")
        .isEqualTo(1);
    assertThat(left).hasSize(N);
    assertThat(left.values()).extracting(AtomicInteger::get).containsOnly(1);
    assertThat(told).hasSize(N);
    assertThat(told.values()).extracting(AtomicInteger::get).containsOnly(1);
    for (int i = 0; i < N; i++) {
      Enrolment e = store.enrolments(T, ContactId.of("c" + i)).get(0);
      assertThat(e.state().finished()).as(e.id()).isTrue();
      assertThat(store.history(T, e.id()))
          .extracting(HistoryEntry::outcome)
          .containsExactly(StepOutcome.ENTERED, StepOutcome.SENT);
    }
    assertThat(analytics.funnel(T, ONCE).total(JourneyMetric.SENT)).isEqualTo(N);
  }
}
