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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Failures in a batch's store phase (its one {@link JourneyStore#advanceAll}): nothing is sent
 * twice, no step is lost, and the outcomes told are exactly one per applied change.
 */
class StepBatchStoreFailureTest {
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

  private WorkRunner runner(JourneyStore store) {
    Dispatcher dispatcher =
        Dispatcher.builder(
                m -> {
                  sends.merge(m.contact().value(), 1, Integer::sum);
                  return SendResult.accepted("p-" + m.id());
                },
                clock)
            .workStore(work)
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
    return journeys
        .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock).batchSize(100)))
        .build();
  }

  @Test
  void anAdvanceAllThatFailsBeforeWritingHasEachChangeStoredAloneAndEachSentOnce() {
    AtomicInteger calls = new AtomicInteger();
    JourneyStore store =
        new DelegatingJourneyStore(InMemoryJourneyStore.of()) {
          @Override
          public List<Boolean> advanceAll(List<Advance> changes) {
            calls.incrementAndGet();
            throw new IllegalStateException("the database went away");
          }
        };

    runner(store).runDue();

    assertThat(calls).hasValue(1);
    assertThat(sends).hasSize(N).allSatisfy((c, n) -> assertThat(n).as(c).isEqualTo(1));
    assertThat(NumberedContacts.enrolments(store, T, N))
        .hasSize(N)
        .allSatisfy(e -> assertThat(e.state().finished()).isTrue());
    assertThat(told).hasSize(N).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    for (Enrolment e : NumberedContacts.enrolments(store, T, N)) {
      assertThat(store.history(T, e.id()))
          .extracting(HistoryEntry::outcome)
          .containsExactly(StepOutcome.ENTERED, StepOutcome.SENT);
    }
  }

  @Test
  void changesThatLoseTheirCompareAndSetGoOnFromWhatTheEnrolmentIsAndAreNotTold() {
    InMemoryJourneyStore inner = InMemoryJourneyStore.of();
    List<String> victims = new ArrayList<>();
    JourneyStore store =
        new DelegatingJourneyStore(inner) {
          @Override
          public List<Boolean> advanceAll(List<Advance> changes) {
            // another runner exits every third enrolment just before the batch stores
            for (int i = 0; i < changes.size(); i += 3) {
              Enrolment was = inner.find(T, changes.get(i).next().id()).orElseThrow();
              Change other = Change.exit(was, was.step(), T0, "another runner");
              assertThat(inner.advance(other.next(), other.entry())).isTrue();
              victims.add(was.id());
            }
            return super.advanceAll(changes);
          }
        };

    runner(store).runDue();

    assertThat(victims).isNotEmpty();
    assertThat(sends).hasSize(N).allSatisfy((c, n) -> assertThat(n).as(c).isEqualTo(1));
    assertThat(told).hasSize(N - victims.size()).doesNotContainKeys(victims.toArray(String[]::new));
    for (Enrolment e : NumberedContacts.enrolments(store, T, N)) {
      assertThat(e.state().finished()).isTrue();
      assertThat(store.history(T, e.id()))
          .extracting(HistoryEntry::outcome)
          .containsExactly(
              StepOutcome.ENTERED,
              victims.contains(e.id()) ? StepOutcome.EXITED : StepOutcome.SENT);
    }
  }
}
