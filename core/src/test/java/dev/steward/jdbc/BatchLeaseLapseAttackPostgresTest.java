package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.MailTransport;
import dev.steward.delivery.SendResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.JourneyDefinition;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile review (rb2): two instances over one PostgreSQL; the first stalls inside the transport on
 * the first message of its batch's first send group, its leases lapse, and the second takes the
 * whole batch over and runs it while the first is still in it. Then the first goes on with its
 * batch. Every message leaves once (the stalled group's messages are the first's to send, and the
 * second records them UNKNOWN, never resending), every enrolment is stored once per step, and at
 * most one send group is UNKNOWN.
 */
class BatchLeaseLapseAttackPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId T = TenantId.of("t1");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JourneyDefinition ONCE =
      JourneyDefinition.builder("once", 1)
          .step(Step.Send.of("only", "tpl-only", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();
  private static final int N = 40;
  private static final Duration LEASE = Duration.ofSeconds(2);

  private static WorkRunner instance(
      String name, SettableClock clock, MailTransport transport, boolean enrol) {
    WorkStore work = JdbcWorkStore.of(DB.dataSource());
    Dispatcher dispatcher =
        Dispatcher.builder(transport, clock)
            .workStore(work)
            .ledger(JdbcDeliveryLedger.of(DB.dataSource()))
            .build();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, JdbcJourneyStore.of(DB.dataSource()), work)
            .journey(ONCE)
            .dispatcher(dispatcher)
            .build();
    if (enrol) {
      NumberedContacts.enrolAll(journeys, T, N, "once");
    }
    return journeys
        .registerWith(
            dispatcher.registerWith(
                WorkRunner.builder(work, clock).owner(name).batchSize(100).lease(LEASE)))
        .build();
  }

  @Test
  @Timeout(180)
  void aBatchTakenOverWhileItsFirstRunnerStallsInItsFirstGroupSendsEachMessageOnce()
      throws Exception {
    DB.clear();
    SettableClock clock = SettableClock.of(T0);
    Map<String, AtomicInteger> left = new ConcurrentHashMap<>();
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    MailTransport slow =
        m -> {
          if (first.compareAndSet(true, false)) {
            stalled.countDown();
            try {
              goOn.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          left.computeIfAbsent(m.id().value(), k -> new AtomicInteger()).incrementAndGet();
          return SendResult.accepted("p-" + m.id());
        };
    MailTransport quick =
        m -> {
          left.computeIfAbsent(m.id().value(), k -> new AtomicInteger()).incrementAndGet();
          return SendResult.accepted("p-" + m.id());
        };
    WorkRunner a = instance("a", clock, slow, true);
    WorkRunner b = instance("b", clock, quick, false);
    List<Throwable> aFailed = new ArrayList<>();
    Thread aRun =
        new Thread(
            () -> {
              try {
                a.runDue();
              } catch (RuntimeException e) {
                aFailed.add(e);
              }
            });
    aRun.start();
    assertThat(stalled.await(60, TimeUnit.SECONDS)).isTrue();
    TestDatabase.passRealTime(LEASE);

    int taken = b.runDue();
    goOn.countDown();
    aRun.join(120_000);

    assertThat(taken).as("the second instance took the batch over").isEqualTo(N);
    assertThat(aFailed).isEmpty();
    assertThat(left).hasSize(N);
    assertThat(left).allSatisfy((id, n) -> assertThat(n.get()).as(id).isEqualTo(1));
    JdbcJourneyStore store = JdbcJourneyStore.of(DB.dataSource());
    int unknown = 0;
    for (int i = 0; i < N; i++) {
      Enrolment e = store.enrolments(T, ContactId.of("c" + i)).get(0);
      assertThat(e.state().finished()).as(e.id()).isTrue();
      List<StepOutcome> h = store.history(T, e.id()).stream().map(HistoryEntry::outcome).toList();
      assertThat(h).as(e.id()).hasSize(2).startsWith(StepOutcome.ENTERED);
      assertThat(h.get(1)).as(e.id()).isIn(StepOutcome.SENT, StepOutcome.UNKNOWN);
      unknown += h.get(1) == StepOutcome.UNKNOWN ? 1 : 0;
    }
    assertThat(unknown).isLessThanOrEqualTo(Dispatcher.DEFAULT_INTENTS_AHEAD);
  }
}
