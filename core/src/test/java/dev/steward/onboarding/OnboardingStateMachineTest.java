package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The moves and guards of the onboarding state machine, its audit trail and its listeners. */
class OnboardingStateMachineTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final TenantId ACME = TenantId.of("acme");
  private static final Actor ALICE = Actor.human("alice");
  private static final Actor RULE = Actor.rule("checklist");

  private final SettableClock clock = SettableClock.of(T0);
  private final InMemoryOnboardingStore store = InMemoryOnboardingStore.of();
  private final List<OnboardingEvent> events = new ArrayList<>();
  private final OnboardingStateMachine machine =
      OnboardingStateMachine.builder(clock, store)
          .listener(
              e -> {
                throw new IllegalStateException("a broken listener");
              })
          .listener(events::add)
          .build();

  private void verdict(OnboardingPhase phase, Verdict v, Actor by) {
    machine.recordVerdict(
        ACME, new PhaseVerdict(phase, v, by, clock.instant(), v + " by " + by, List.of()));
  }

  private OnboardingRecord toPilot() {
    machine.enrol(ACME, ALICE);
    verdict(OnboardingPhase.VETTING, Verdict.PASS, RULE);
    machine.transition(ACME, OnboardingState.DOMAIN_VERIFICATION, RULE, "vetted");
    verdict(OnboardingPhase.SENDER_DOMAIN_VERIFICATION, Verdict.PASS, RULE);
    machine.transition(ACME, OnboardingState.CONTENT_REVIEW, RULE, "domain verified");
    verdict(OnboardingPhase.CONTENT_REVIEW, Verdict.PASS, RULE);
    return machine.transition(ACME, OnboardingState.PILOT, RULE, "content passed");
  }

  @Test
  void aTenantClearedThroughTheGatesReachesThePilotWithItsAuditTrail() {
    machine.enrol(ACME, ALICE);
    clock.advance(Duration.ofDays(1));
    OnboardingRecord r = toPilot();

    assertThat(r.state()).isEqualTo(OnboardingState.PILOT);
    assertThat(r.state().maySend()).isTrue();
    assertThat(r.transitions())
        .extracting(Transition::to)
        .containsExactly(
            OnboardingState.DOMAIN_VERIFICATION,
            OnboardingState.CONTENT_REVIEW,
            OnboardingState.PILOT);
    assertThat(r.enteredAt(OnboardingState.PILOT)).contains(T0.plus(Duration.ofDays(1)));
    assertThat(r.enteredAt(OnboardingState.VETTING)).contains(T0);
    assertThat(events)
        .as("the broken listener neither undid nor blocked anything")
        .hasSize(7)
        .first()
        .isInstanceOf(OnboardingEvent.Enrolled.class);
    assertThat(events.get(6))
        .isInstanceOfSatisfying(
            OnboardingEvent.PhaseChanged.class,
            e -> {
              assertThat(e.transition().from()).isEqualTo(OnboardingState.CONTENT_REVIEW);
              assertThat(e.transition().by()).isEqualTo(RULE);
              assertThat(e.record()).isEqualTo(r);
            });
  }

  @Test
  void leavingAGateWithoutAVerdictIsRefusedNamingFromToAndWhy() {
    machine.enrol(ACME, ALICE);

    assertThatThrownBy(
            () -> machine.transition(ACME, OnboardingState.DOMAIN_VERIFICATION, ALICE, "hurry"))
        .isInstanceOfSatisfying(
            IllegalTransitionException.class,
            e -> {
              assertThat(e.from()).isEqualTo(OnboardingState.VETTING);
              assertThat(e.to()).isEqualTo(OnboardingState.DOMAIN_VERIFICATION);
              assertThat(e.why()).contains("VETTING gate is not cleared", "no verdict");
            });
    assertThat(store.find(ACME).orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void skippingAPhaseIsNotAMove() {
    machine.enrol(ACME, ALICE);
    verdict(OnboardingPhase.VETTING, Verdict.PASS, ALICE);

    assertThatThrownBy(() -> machine.transition(ACME, OnboardingState.PILOT, ALICE, "skip"))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("from VETTING to PILOT")
        .hasMessageContaining("no such move");
  }

  @Test
  void aFailedReviewKeepsTheTenantOutOfThePilotUntilAPersonPassesIt() {
    machine.enrol(ACME, ALICE);
    verdict(OnboardingPhase.VETTING, Verdict.PASS, RULE);
    machine.transition(ACME, OnboardingState.DOMAIN_VERIFICATION, RULE, "vetted");
    verdict(OnboardingPhase.SENDER_DOMAIN_VERIFICATION, Verdict.PASS, RULE);
    machine.transition(ACME, OnboardingState.CONTENT_REVIEW, RULE, "verified");
    verdict(OnboardingPhase.CONTENT_REVIEW, Verdict.FAIL, RULE);
    clock.advance(Duration.ofHours(1));
    verdict(OnboardingPhase.CONTENT_REVIEW, Verdict.PASS, RULE);

    assertThatThrownBy(() -> machine.transition(ACME, OnboardingState.PILOT, RULE, "re-run"))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("a person must pass it");

    verdict(OnboardingPhase.CONTENT_REVIEW, Verdict.PASS, ALICE);
    assertThat(machine.transition(ACME, OnboardingState.PILOT, ALICE, "reviewed").state())
        .isEqualTo(OnboardingState.PILOT);
  }

  @Test
  void aVerdictNeedsTheTenantInItsGate() {
    machine.enrol(ACME, ALICE);

    assertThatThrownBy(() -> verdict(OnboardingPhase.CONTENT_REVIEW, Verdict.PASS, ALICE))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("needs the tenant in CONTENT_REVIEW");
    assertThatThrownBy(
            () ->
                new PhaseVerdict(
                    OnboardingPhase.PILOT, Verdict.PASS, ALICE, T0, "pilot", List.of()))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("PILOT takes no verdict");
  }

  @Test
  void governanceEscalatesStepsDownToWhereItCameFromAndOnlyAPersonLiftsASuspension() {
    toPilot();
    machine.transition(ACME, OnboardingState.RESTRICTED, RULE, "bounce rate 6% over 5%");
    machine.transition(ACME, OnboardingState.SUSPENDED, RULE, "spam rate 0.31% over 0.30%");

    assertThatThrownBy(() -> machine.transition(ACME, OnboardingState.RESTRICTED, RULE, "clean"))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("only a person may lift a suspension");
    assertThatThrownBy(() -> machine.transition(ACME, OnboardingState.TERMINATED, RULE, "bad"))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("only a person may terminate");

    machine.transition(ACME, OnboardingState.RESTRICTED, ALICE, "list cleaned, reviewed");
    assertThatThrownBy(() -> machine.transition(ACME, OnboardingState.ACTIVE, ALICE, "clean"))
        .as("it escalated from PILOT, so it steps down to PILOT")
        .isInstanceOf(IllegalTransitionException.class);
    OnboardingRecord back = machine.transition(ACME, OnboardingState.PILOT, RULE, "7 clean days");
    assertThat(back.state()).isEqualTo(OnboardingState.PILOT);
    assertThat(back.resumeTo()).isEmpty();
  }

  @Test
  void terminatedIsFinalAndRejectedReopensOnlyByAPerson() {
    toPilot();
    machine.transition(ACME, OnboardingState.TERMINATED, ALICE, "end of service");
    assertThatThrownBy(() -> machine.transition(ACME, OnboardingState.PILOT, ALICE, "undo"))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("TERMINATED is final");
    assertThat(machine.possibleMoves(ACME)).isEmpty();

    TenantId other = TenantId.of("other");
    machine.enrol(other, ALICE);
    machine.transition(other, OnboardingState.REJECTED, RULE, "purchased lists");
    assertThatThrownBy(() -> machine.transition(other, OnboardingState.VETTING, RULE, "retry"))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("only a person may reopen");
    OnboardingRecord reopened =
        machine.transition(other, OnboardingState.VETTING, ALICE, "new lists, opt-in proof");
    assertThat(reopened.cleared(OnboardingPhase.VETTING))
        .as("a reopened tenant starts its vetting afresh")
        .isFalse();
  }

  @Test
  void enrollingTwiceKeepsTheFirstRecordAndAnUnknownTenantCannotMove() {
    OnboardingRecord first = machine.enrol(ACME, ALICE);
    clock.advance(Duration.ofDays(1));
    assertThat(machine.enrol(ACME, RULE)).isEqualTo(first);
    assertThatThrownBy(
            () -> machine.transition(TenantId.of("nobody"), OnboardingState.PILOT, ALICE, "x"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("not enrolled");
    assertThatThrownBy(() -> machine.transition(ACME, OnboardingState.REJECTED, ALICE, " "))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("reason must not be blank");
  }
}
