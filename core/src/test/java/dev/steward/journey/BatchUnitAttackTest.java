package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.SendResult;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Hostile review (rb2) of a batch's unit of first changes ({@link StepBatch#storeFirst}) over a
 * store without units: a store that fails part way through its changes.
 */
class BatchUnitAttackTest {
  private static final TenantId T = TenantId.of("t1");
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final JourneyDefinition ONCE =
      JourneyDefinition.builder("once", 1)
          .step(Step.Send.of("only", "tpl-only", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();
  private static final int N = 20;

  private final SettableClock clock = SettableClock.of(T0);
  private final WorkStore work = InMemoryWorkStore.of(clock);
  private final Map<String, Integer> sends = new ConcurrentHashMap<>();
  private final Map<String, Integer> told = new ConcurrentHashMap<>();

  private WorkRunner runner(JourneyStore store, boolean batch) {
    return runner(store, batch, e -> {});
  }

  private int intentsAhead = Dispatcher.DEFAULT_INTENTS_AHEAD;

  private WorkRunner runner(
      JourneyStore store, boolean batch, java.util.function.Consumer<Enrolment> alsoTold) {
    Dispatcher dispatcher =
        Dispatcher.builder(
                m -> {
                  sends.merge(m.contact().value(), 1, Integer::sum);
                  return SendResult.accepted("p-" + m.id());
                },
                clock)
            .workStore(work)
            .intentsAhead(intentsAhead)
            .build();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, store, work)
            .journey(ONCE)
            .dispatcher(dispatcher)
            .batchSteps(batch)
            .outcomeListener(
                (d, e, h) -> {
                  if (h.outcome() == StepOutcome.SENT) {
                    told.merge(e.id(), 1, Integer::sum);
                    alsoTold.accept(e);
                  }
                })
            .build();
    NumberedContacts.enrolAll(journeys, T, N, "once");
    return journeys
        .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock).batchSize(100)))
        .build();
  }

  /**
   * A store without units whose advanceAll applies its first changes one by one (as the interface's
   * default does) and then fails: the changes it applied are each told once, as the single path
   * tells every change it applied. They were stored alone again, lost their compare-and-set to
   * themselves, and were never told (analytics and the calendar missed them).
   */
  @Test
  void anAdvanceAllThatFailsPartWayHasTheChangesItAppliedToldOnce() {
    int appliedBeforeFailing = 5;
    InMemoryJourneyStore inner = InMemoryJourneyStore.of();
    JourneyStore store =
        new DelegatingJourneyStore(inner) {
          @Override
          public List<Boolean> advanceAll(List<Advance> changes) {
            for (int i = 0; i < appliedBeforeFailing; i++) {
              assertThat(inner.advance(changes.get(i).next(), changes.get(i).entry())).isTrue();
            }
            throw new IllegalStateException("the store failed after " + appliedBeforeFailing);
          }
        };

    runner(store, true).runDue();

    assertThat(sends).hasSize(N).allSatisfy((c, n) -> assertThat(n).as(c).isEqualTo(1));
    assertThat(NumberedContacts.enrolments(store, T, N))
        .hasSize(N)
        .allSatisfy(e -> assertThat(e.state().finished()).isTrue());
    assertThat(told).hasSize(N).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
  }

  /** The same store on the single path: every change told once (what the batch must match). */
  @Test
  void theSinglePathTellsEveryChangeOnce() {
    runner(InMemoryJourneyStore.of(), false).runDue();

    assertThat(sends).hasSize(N);
    assertThat(told).hasSize(N).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
  }

  /**
   * An outcome listener that throws an Error (not a RuntimeException, which the scheduler logs and
   * drops) for one enrolment: on the single path only that enrolment's run fails; in a batch over a
   * store without units the changes after it in the batch were applied and never told, and no retry
   * tells them (their enrolments had finished).
   */
  @Test
  void anErrorFromTheOutcomeListenerLeavesNoOtherChangeOfTheBatchUntold() {
    for (boolean batch : new boolean[] {false, true}) {
      sends.clear();
      told.clear();
      java.util.concurrent.atomic.AtomicBoolean thrown =
          new java.util.concurrent.atomic.AtomicBoolean();
      InMemoryJourneyStore store = InMemoryJourneyStore.of();
      WorkRunner runner =
          runner(
              store,
              batch,
              e -> {
                if (e.contact().value().equals("c3") && thrown.compareAndSet(false, true)) {
                  throw new AssertionError("a listener's own bug");
                }
              });
      for (int round = 0; round < 5; round++) {
        try {
          runner.runDue();
        } catch (AssertionError e) {
          // the single path's runDue may pass it on; the item is retried either way
        }
        clock.advance(java.time.Duration.ofHours(1));
      }

      assertThat(thrown).as("batch %s", batch).isTrue();
      assertThat(sends).as("batch %s", batch).hasSize(N);
      assertThat(sends.values()).as("batch %s", batch).containsOnly(1);
      assertThat(NumberedContacts.enrolments(store, T, N))
          .allSatisfy(e -> assertThat(e.state().finished()).isTrue());
      assertThat(told).as("batch %s", batch).hasSize(N);
      assertThat(told.values()).as("batch %s", batch).containsOnly(1);
    }
  }

  /**
   * Send groups of one message and of every message at once (intentsAhead 1 and the largest int):
   * each message sent once, each step stored and told once, as with the default groups.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 7, Integer.MAX_VALUE})
  void sendGroupsOfOneOrOfEverythingSendAndTellEachStepOnce(int ahead) {
    intentsAhead = ahead;
    InMemoryJourneyStore store = InMemoryJourneyStore.of();

    runner(store, true).runDue();

    assertThat(sends).hasSize(N);
    assertThat(sends.values()).containsOnly(1);
    assertThat(told).hasSize(N);
    assertThat(told.values()).containsOnly(1);
    for (Enrolment e : NumberedContacts.enrolments(store, T, N)) {
      assertThat(store.history(T, e.id()))
          .extracting(HistoryEntry::outcome)
          .containsExactly(StepOutcome.ENTERED, StepOutcome.SENT);
    }
  }
}
