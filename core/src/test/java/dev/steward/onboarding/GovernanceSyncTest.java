package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.Counter;
import dev.steward.governance.GovernanceDecision;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Increment;
import dev.steward.governance.Level;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingChanged;
import dev.steward.governance.StandingListener;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Phase 8 of onboarding kept in step with the governance ladder, both ways. */
class GovernanceSyncTest {
  private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  private static final TenantId T = TenantId.of("acme");

  private final SettableClock clock = SettableClock.of(START);
  private final InMemoryOnboardingStore store = InMemoryOnboardingStore.of();
  private final InMemoryGovernanceMetricsStore metrics = InMemoryGovernanceMetricsStore.of();
  private final InMemoryStandingStore standings = InMemoryStandingStore.of();
  private final AtomicReference<GovernanceSync> sync = new AtomicReference<>();
  private final AtomicBoolean onboardingEventsLost = new AtomicBoolean();
  private final List<StandingChanged> changes = new ArrayList<>();
  private final OnboardingStateMachine machine =
      OnboardingStateMachine.builder(clock, store)
          .listener(
              e -> {
                if (!onboardingEventsLost.get()) {
                  sync.get().onEvent(e);
                }
              })
          .build();
  private final GovernanceEvaluator governance =
      GovernanceEvaluator.builder(metrics, standings, clock)
          .listener(
              new StandingListener() {
                @Override
                public void onChange(StandingChanged event) {
                  changes.add(event);
                  sync.get().onChange(event);
                }

                @Override
                public void onDecision(GovernanceDecision decision) {
                  sync.get().onDecision(decision);
                }
              })
          .build();
  private int day;
  private int seq;

  GovernanceSyncTest() {
    sync.set(GovernanceSync.of(machine, governance));
  }

  private void active() {
    store.insert(
        new OnboardingRecord(
            T,
            OnboardingState.ACTIVE,
            1,
            Actor.rule("test"),
            START,
            Map.of(OnboardingState.ACTIVE, START),
            List.of(),
            List.of(),
            Optional.empty()));
  }

  /** One day of {@code delivered} mail with {@code spam} complaints, evaluated at 23:30. */
  private GovernanceDecision day(int delivered, int spam) {
    Instant noon = START.plus(Duration.ofDays(day)).plus(Duration.ofHours(12));
    List<Increment> out = new ArrayList<>();
    for (int i = 0; i < delivered; i++) {
      out.add(Increment.of(T, "p" + (++seq), Counter.PROCESSED, noon));
      out.add(Increment.of(T, "d" + (++seq), Counter.DELIVERED, noon));
    }
    for (int i = 0; i < spam; i++) {
      out.add(Increment.of(T, "s" + (++seq), Counter.SPAM_REPORT, noon));
    }
    metrics.add(out);
    clock.set(START.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(23 * 60 + 30)));
    day++;
    return governance.evaluate(T);
  }

  private OnboardingRecord record() {
    return store.find(T).orElseThrow();
  }

  private Transition lastMove() {
    List<Transition> t = record().transitions();
    return t.get(t.size() - 1);
  }

  @Test
  void aSuspendingStandingSuspendsTheOnboardingStateWithTheLaddersExplanationOnce() {
    active();
    // 0.31% spam: the ladder suspends at 0.30%
    assertThat(day(10_000, 31).level()).isEqualTo(Level.SUSPEND);

    assertThat(record().state()).isEqualTo(OnboardingState.SUSPENDED);
    assertThat(record().state().maySend()).isFalse();
    Transition t = lastMove();
    assertThat(t.by()).isEqualTo(GovernanceSync.LADDER);
    assertThat(t.from()).isEqualTo(OnboardingState.ACTIVE);
    assertThat(t.reason())
        .contains("governance standing suspend")
        .contains("spam-rate 0.31% (31 of 10000 delivered)")
        .contains("suspend threshold 0.30%");

    // the same change told again, late, and evaluations that change nothing: no new audit entry
    int moves = record().transitions().size();
    long version = record().version();
    StandingChanged suspended = changes.get(changes.size() - 1);
    sync.get().onChange(suspended);
    sync.get().onChange(suspended);
    governance.evaluate(T);
    assertThat(sync.get().sync(T)).isEqualTo(GovernanceSync.Outcome.IN_STEP);
    assertThat(record().transitions()).hasSize(moves);
    assertThat(record().version()).isEqualTo(version);
  }

  @Test
  void aStepDownAfterTheCleanDaysMovesTheOnboardingStateBack() {
    active();
    // 0.16% spam: restricted
    assertThat(day(10_000, 16).level()).isEqualTo(Level.RESTRICT);
    assertThat(record().state()).isEqualTo(OnboardingState.RESTRICTED);
    int restrictedOn = day;
    int back = -1;
    for (int d = 0; d < 30 && back < 0; d++) {
      Level l = day(10_000, 0).level();
      if (l.compareTo(Level.WARN) <= 0) {
        back = day;
        assertThat(record().state()).isEqualTo(OnboardingState.ACTIVE);
      } else {
        assertThat(record().state())
            .as("day %s at %s", day, l)
            .isEqualTo(OnboardingState.RESTRICTED);
      }
    }
    assertThat(back).as("stepped down within 30 days").isPositive();
    // the spam day leaves the 7-day window after 7 days; 7 clean days more before a step-down
    assertThat(back - restrictedOn).isGreaterThanOrEqualTo(7);
    Transition t = lastMove();
    assertThat(t.from()).isEqualTo(OnboardingState.RESTRICTED);
    assertThat(t.to()).isEqualTo(OnboardingState.ACTIVE);
    assertThat(t.by()).isEqualTo(GovernanceSync.LADDER);
    assertThat(t.reason()).contains("governance standing");
    assertThat(record().transitions())
        .extracting(Transition::to)
        .containsExactly(OnboardingState.RESTRICTED, OnboardingState.ACTIVE);
  }

  @Test
  void anOverrideInGovernanceMovesOnboardingByThatPersonWithTheReason() {
    active();
    governance.override(T, Level.SUSPEND, "chargebacks", "ops@isv", Optional.empty());
    assertThat(record().state()).isEqualTo(OnboardingState.SUSPENDED);
    assertThat(lastMove().by()).isEqualTo(Actor.human("ops@isv"));
    assertThat(lastMove().reason()).contains("override to suspend").contains("chargebacks");
    // a person lifts it in governance to restrict: onboarding follows, though a rule alone may not
    // lift a suspension there
    governance.override(T, Level.RESTRICT, "paid", "ops@isv", Optional.empty());
    assertThat(record().state()).isEqualTo(OnboardingState.RESTRICTED);
    governance.clearOverride(T, "watching", "ops@isv");
    assertThat(record().state()).isEqualTo(OnboardingState.RESTRICTED);
    assertThat(record().transitions()).hasSize(2);
  }

  @Test
  void aPersonsMoveInOnboardingIsCarriedIntoGovernanceAndBackDownAgain() {
    active();
    machine.transition(T, OnboardingState.SUSPENDED, Actor.human("csm@isv"), "phishing complaint");
    Standing s = governance.standing(T);
    assertThat(s.level()).isEqualTo(Level.SUSPEND);
    assertThat(s.maySend()).isFalse();
    assertThat(s.override()).isPresent();
    assertThat(s.override().get().by()).isEqualTo("csm@isv");
    assertThat(s.override().get().reason()).contains("phishing complaint");
    // the override in force, evaluation keeps it suspended and onboarding stays (no new move)
    day(10_000, 0);
    assertThat(record().state()).isEqualTo(OnboardingState.SUSPENDED);
    assertThat(record().transitions()).hasSize(1);

    // the person lifts it in onboarding: governance is back to none, its ladder judging again
    machine.transition(
        T, OnboardingState.ACTIVE, Actor.human("csm@isv"), "resolved with the tenant");
    s = governance.standing(T);
    assertThat(s.level()).isEqualTo(Level.NONE);
    assertThat(s.override()).isEmpty();
    assertThat(record().state()).isEqualTo(OnboardingState.ACTIVE);
    // and the ladder still acts: bad mail restricts it again, in both
    day(10_000, 16);
    assertThat(governance.standing(T).level()).isEqualTo(Level.RESTRICT);
    assertThat(record().state()).isEqualTo(OnboardingState.RESTRICTED);
  }

  @Test
  void aPersonsMoveWhoseEventWasLostIsCarriedAtTheNextEvaluationNotUndone() {
    active();
    onboardingEventsLost.set(true); // a crash after the onboarding move, before governance heard
    clock.set(START.plus(Duration.ofHours(1)));
    machine.transition(T, OnboardingState.QUARANTINED, Actor.human("csm@isv"), "list purchase");
    onboardingEventsLost.set(false);
    assertThat(governance.standing(T).level()).isEqualTo(Level.NONE);

    day(10_000, 0);
    assertThat(governance.standing(T).level()).isEqualTo(Level.QUARANTINE);
    assertThat(governance.standing(T).override().orElseThrow().by()).isEqualTo("csm@isv");
    assertThat(record().state()).isEqualTo(OnboardingState.QUARANTINED);
  }

  @Test
  void anErasedSideIsRestoredFromTheOther() {
    active();
    day(10_000, 31);
    assertThat(record().state()).isEqualTo(OnboardingState.SUSPENDED);
    // governance's standing erased alone: the onboarding record's suspension is not lifted by it
    standings.eraseTenant(T);
    assertThat(sync.get().sync(T)).isEqualTo(GovernanceSync.Outcome.GOVERNANCE_OVERRIDDEN);
    assertThat(governance.standing(T).level()).isEqualTo(Level.SUSPEND);
    assertThat(record().state()).isEqualTo(OnboardingState.SUSPENDED);

    // onboarding erased and the tenant enrolled again: in the gates nothing is done (the gate
    // refuses its mail anyway); once it reaches its pilot, the standing suspends it again
    machine.eraseTenant(T);
    machine.enrol(T, Actor.human("sales@isv"));
    assertThat(sync.get().sync(T)).isEqualTo(GovernanceSync.Outcome.NOTHING);
    OnboardingRecord gated = record();
    assertThat(
            store.replace(
                gated.version(),
                new OnboardingRecord(
                    T,
                    OnboardingState.PILOT,
                    gated.version() + 1,
                    gated.enrolledBy(),
                    gated.enrolledAt(),
                    Map.of(OnboardingState.PILOT, clock.instant()),
                    List.of(),
                    List.of(),
                    Optional.empty())))
        .isTrue();
    assertThat(sync.get().sync(T)).isEqualTo(GovernanceSync.Outcome.ONBOARDING_FOLLOWED);
    assertThat(record().state()).isEqualTo(OnboardingState.SUSPENDED);
    assertThat(record().resumeTo()).contains(OnboardingState.PILOT);
  }

  @Test
  void aTenantNotEnrolledOrInAGateIsLeftAlone() {
    day(10_000, 31);
    assertThat(sync.get().sync(T)).isEqualTo(GovernanceSync.Outcome.NOTHING);
    machine.enrol(T, Actor.human("sales@isv"));
    assertThat(sync.get().sync(T)).isEqualTo(GovernanceSync.Outcome.NOTHING);
    assertThat(record().state()).isEqualTo(OnboardingState.VETTING);
  }

  @Test
  void aTerminationInOnboardingIsCarriedIntoGovernanceForGood() {
    active();
    machine.transition(T, OnboardingState.TERMINATED, Actor.human("legal@isv"), "fraud");
    Standing s = governance.standing(T);
    assertThat(s.level()).isEqualTo(Level.TERMINATE);
    assertThat(s.override().orElseThrow().by()).isEqualTo("legal@isv");
    // clean mail and evaluations change neither side
    day(10_000, 0);
    assertThat(governance.standing(T).level()).isEqualTo(Level.TERMINATE);
    assertThat(record().state()).isEqualTo(OnboardingState.TERMINATED);
    assertThat(record().transitions()).hasSize(1);
  }
}
