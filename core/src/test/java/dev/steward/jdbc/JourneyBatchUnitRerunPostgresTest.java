package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.SendResult;
import dev.steward.journey.DelegatingJourneyStore;
import dev.steward.journey.Enrolment;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.JourneyStore;
import dev.steward.journey.NumberedContacts;
import dev.steward.journey.Step;
import dev.steward.journey.StepOutcome;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL a batch stores its first changes in one unit of work; a failure after the set-based
 * advance (inside the unit, before its commit) rolls it all back, and the unit's rerun stores each
 * change alone: every step stored once, every message sent once, every outcome told once.
 */
class JourneyBatchUnitRerunPostgresTest {
  private static final TenantId T = TenantId.of("t1");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JourneyDefinition ONCE =
      JourneyDefinition.builder("once", 1)
          .step(Step.Send.of("only", "tpl-only", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();
  private static final int N = 12;

  @Test
  void aUnitSpoiltAfterTheSetBasedAdvanceIsRolledBackAndEachChangeStoredAlone() {
    TestDatabase db = TestDatabase.postgres();
    db.clear();
    JdbcJourneyStore jdbc = JdbcJourneyStore.of(db.dataSource());
    AtomicInteger advanceAlls = new AtomicInteger();
    AtomicInteger alone = new AtomicInteger();
    JourneyStore store =
        new DelegatingJourneyStore(jdbc) {
          @Override
          public List<Boolean> advanceAll(List<Advance> changes) {
            List<Boolean> applied = super.advanceAll(changes); // in the unit, not committed
            assertThat(applied).containsOnly(true);
            advanceAlls.incrementAndGet();
            throw new IllegalStateException("a hook failed after the advance");
          }

          @Override
          public boolean advance(Enrolment next, HistoryEntry entry) {
            alone.incrementAndGet();
            return super.advance(next, entry);
          }
        };
    SettableClock clock = SettableClock.of(T0);
    WorkStore work = JdbcWorkStore.of(db.dataSource());
    Map<String, Integer> sends = new ConcurrentHashMap<>();
    Map<String, Integer> told = new ConcurrentHashMap<>();
    Dispatcher dispatcher =
        Dispatcher.builder(
                m -> {
                  sends.merge(m.contact().value(), 1, Integer::sum);
                  return SendResult.accepted("p-" + m.id());
                },
                clock)
            .workStore(work)
            .ledger(JdbcDeliveryLedger.of(db.dataSource()))
            .build();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, store, work)
            .journey(ONCE)
            .dispatcher(dispatcher)
            .outcomeListener(
                (d, e, h) -> {
                  if (h.outcome() == StepOutcome.SENT) {
                    told.merge(e.id(), 1, Integer::sum);
                  }
                })
            .build();
    NumberedContacts.enrolAll(journeys, T, N, "once");
    WorkRunner runner =
        journeys
            .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock).batchSize(100)))
            .build();

    runner.runDue();

    assertThat(advanceAlls).as("the set-based advance ran once, in the unit").hasValue(1);
    assertThat(alone).as("the rerun stored each alone").hasValue(N);
    assertThat(sends).hasSize(N).allSatisfy((c, n) -> assertThat(n).as(c).isEqualTo(1));
    assertThat(told).hasSize(N).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    for (int i = 0; i < N; i++) {
      Enrolment e = jdbc.enrolments(T, ContactId.of("c" + i)).get(0);
      assertThat(e.state().finished()).isTrue();
      assertThat(jdbc.history(T, e.id()))
          .extracting(HistoryEntry::outcome)
          .containsExactly(StepOutcome.ENTERED, StepOutcome.SENT);
    }
  }
}
