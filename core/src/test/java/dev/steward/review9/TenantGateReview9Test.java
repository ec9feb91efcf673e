package dev.steward.review9;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.governance.Cause;
import dev.steward.governance.Level;
import dev.steward.governance.Standing;
import dev.steward.governance.StandingChange;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.InMemoryPilotStore;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.WarmUpPlan;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Hostile review of the tenant gate (issue 15's pilot). */
class TenantGateReview9Test {
  private static final TenantId ACME = TenantId.of("acme");

  /**
   * DEFECT: the pilot state is written graduated first, and only then is the onboarding record
   * moved to POOL_ASSIGNMENT. If that move fails (the onboarding store is down for a moment), the
   * pilot row already says graduated, and every later message takes the "graduated" short cut in
   * judge(), which never tries the move again: the tenant stays in PILOT for ever (and the pool
   * strategy keeps it in the warm-up pool). Correct: a later message finishes the move.
   */
  @Test
  void aGraduationWhoseOnboardingMoveFailedOnceIsFinishedByTheNextMessage() {
    World9 w = new World9(g -> g.plan(WarmUpPlan.builder().stages(2).build()));
    w.intoPilot(ACME);
    w.at(0, "23:30");
    List<DispatchResult> day0 = w.send(ACME, 2);
    assertThat(day0).allMatch(r -> r.status() == DispatchStatus.SENT);
    w.deliver(day0);

    w.at(1, "10:00");
    w.onboardingDown.set(true);
    assertThatThrownBy(() -> w.send(ACME)).hasMessageContaining("onboarding store down");
    w.onboardingDown.set(false);

    w.at(1, "11:00");
    w.send(ACME);
    assertThat(w.gate.pilotState(ACME).orElseThrow().graduated()).isTrue();
    assertThat(w.state(ACME)).isEqualTo(OnboardingState.POOL_ASSIGNMENT);
  }

  /**
   * DEFECT: a tenant restricted through its onboarding record (a person moved it to RESTRICTED; its
   * governance standing is still NONE) has its daily mail reserved under the restricted cap, but
   * confirmSent only counts when the pilot is not graduated or the governance standing is RESTRICT:
   * it ignores the onboarding RESTRICTED state that evaluate() applies. A message released after a
   * RETRYABLE answer that went out after all is never counted, so the restricted tenant sends past
   * its cut cap. Correct: confirmSent counts whenever evaluate would reserve.
   */
  @Test
  void aSendConfirmedLaterCountsForATenantRestrictedThroughItsOnboardingRecord() {
    World9 w = new World9(g -> g.plan(WarmUpPlan.builder().stages(2, 4).build()));
    w.intoPilot(ACME);
    w.at(0, "23:30");
    List<DispatchResult> day0 = w.send(ACME, 2);
    w.deliver(day0);
    w.at(1, "23:30");
    List<DispatchResult> day1 = w.send(ACME, 4);
    assertThat(day1).allMatch(r -> r.status() == DispatchStatus.SENT);
    w.deliver(day1);
    w.at(2, "10:00");
    w.send(ACME);
    assertThat(w.state(ACME)).isEqualTo(OnboardingState.POOL_ASSIGNMENT);
    w.machine.transition(
        ACME, OnboardingState.RESTRICTED, Actor.human("csm@isv.example"), "complaints by phone");

    w.at(3, "12:00");
    Instant now = w.clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Message m = w.message(ACME);
    Decision d = w.gate.evaluate(m, now);
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(d.reasons()).anyMatch(r -> r.rule().equals("restricted-cap"));
    assertThat(w.pilotStore.count(ACME, today)).isEqualTo(1);
    // the transport answered RETRYABLE: the dispatcher gives the reservation back
    w.gate.release(m, now);
    assertThat(w.pilotStore.count(ACME, today)).isZero();
    // a provider event proves it went out after all
    w.gate.confirmSent(m, now.plusSeconds(1));
    assertThat(w.pilotStore.count(ACME, today)).isEqualTo(1);
  }

  /**
   * DEFECT: contentRejected accepts a reviewer of 200 characters and a reason of 1,500 on a message
   * id of up to 200, and records them as the governance warning's explanation; at the tenant's next
   * message the gate drops a stage with a StageChange reason of "governance warn since ...: " +
   * that explanation + "; a warning drops a stage ...", over StageChange's 2,000-character limit.
   * The InvalidOnboardingInputException escapes evaluate(), and since the warning is never marked
   * seen, every later message of the tenant throws the same way: its mail stops. Correct: the
   * reason is shortened (or the explanation cut) and the stage drops.
   */
  @Test
  void aLongContentRejectionDropsAStageInsteadOfMakingEveryMessageThrow() {
    World9 w = new World9(g -> g.plan(WarmUpPlan.builder().stages(2, 4, 8).build()));
    w.intoPilot(ACME);
    w.at(0, "23:30");
    w.deliver(w.send(ACME, 2));
    w.at(1, "10:00");
    assertThat(w.send(ACME).status()).isEqualTo(DispatchStatus.SENT);
    assertThat(w.gate.pilotState(ACME).orElseThrow().stage()).isEqualTo(1);

    w.gate.contentRejected(
        ACME, MessageId.of("m".repeat(200)), "r".repeat(200), "Bad content. ".repeat(115));

    // late in the day, so that the second message fits the even pace of the lower stage (at 11:00
    // stage 1's 2 a day allows only 1 by then, and the message would be deferred, rightly)
    w.at(1, "23:00");
    DispatchResult next = w.send(ACME);
    assertThat(next.status()).isEqualTo(DispatchStatus.SENT);
    assertThat(w.gate.pilotState(ACME).orElseThrow().stage()).isZero();
  }

  /**
   * DEFECT: the days a tenant gate counts are purged only in judge(), which runs only for a tenant
   * in its pilot. A tenant restricted after its pilot (here through its onboarding record; a
   * governance RESTRICT standing, or an unenrolled tenant under allowUnenrolled, alike) has every
   * message reserved under the restricted cap in the pilot store, one steward_pilot_send row per
   * message and day, and nothing ever deletes them: the store grows by up to the cut cap (20,000 a
   * day under the default plan) for as long as the tenant stays restricted. Correct: the days
   * before yesterday are forgotten for every tenant whose mail the gate counts.
   */
  @Test
  void theCountedDaysOfARestrictedTenantAfterItsPilotAreForgottenAsAPilotTenantsAre() {
    World9 w = new World9(g -> g.plan(WarmUpPlan.builder().stages(2, 4).build()));
    w.intoPilot(ACME);
    w.at(0, "23:30");
    w.deliver(w.send(ACME, 2));
    w.at(1, "23:30");
    w.deliver(w.send(ACME, 4));
    w.at(2, "10:00");
    w.send(ACME);
    assertThat(w.state(ACME)).isEqualTo(OnboardingState.POOL_ASSIGNMENT);
    w.machine.transition(
        ACME, OnboardingState.RESTRICTED, Actor.human("csm@isv.example"), "complaints by phone");

    for (int day = 3; day <= 10; day++) {
      w.at(day, "23:00");
      assertThat(w.send(ACME).status()).isEqualTo(DispatchStatus.SENT);
    }
    LocalDate day3 = LocalDate.ofInstant(World9.DAY_0, ZoneOffset.UTC).plusDays(3);
    assertThat(w.pilotStore.count(ACME, day3)).isZero();
  }

  /**
   * DEFECT: the pilot store keys a reservation by message id, and reserve() grants a message it
   * already counted "again without counting it twice"; but each dispatch releases on its own. When
   * one message is dispatched twice at once (two runners after a lease ran out, or a caller
   * retrying), both pass the tenant gate on the one reservation, one wins the ledger's intent and
   * sends, and the loser, refused as DUPLICATE, releases the shared reservation: the message went
   * out and the day's count holds nothing, so the tenant sends past its warm-up cap. Correct: a
   * dispatch gives back only what it reserved itself; the day still counts the sent message.
   */
  @Test
  void theLoserOfTwoConcurrentDispatchesOfOneMessageDoesNotReleaseTheWinnersReservation() {
    AtomicReference<World9> world = new AtomicReference<>();
    AtomicReference<Message> twice = new AtomicReference<>();
    AtomicReference<DispatchResult> other = new AtomicReference<>();
    AtomicBoolean reentered = new AtomicBoolean();
    Gate later =
        new Gate() {
          @Override
          public String name() {
            return "later";
          }

          @Override
          public Decision evaluate(Message message, Instant now) {
            // the other instance dispatches the same message while this one is between its gates
            if (message.equals(twice.get()) && reentered.compareAndSet(false, true)) {
              other.set(world.get().steward.dispatch(message));
            }
            return Decision.allow(List.of());
          }
        };
    World9 w =
        new World9(
            g -> g.plan(WarmUpPlan.builder().stages(10, 20).build()),
            InMemoryPilotStore.of(),
            b -> b.gate(later));
    world.set(w);
    w.intoPilot(ACME);
    w.at(0, "12:00");
    Message m = w.message(ACME);
    twice.set(m);
    DispatchResult first = w.steward.dispatch(m);

    assertThat(List.of(first.status(), other.get().status()))
        .containsExactlyInAnyOrder(DispatchStatus.SENT, DispatchStatus.DUPLICATE);
    assertThat(w.transport.sent()).hasSize(1);
    LocalDate today = LocalDate.ofInstant(w.clock.instant(), ZoneOffset.UTC);
    assertThat(w.pilotStore.count(ACME, today)).isEqualTo(1);
  }

  /**
   * DEFECT: sampling runs after the pilot reservation is granted, and only the reviewer's call is
   * guarded: the freeForm predicate (the application's callback saying which tenants write their
   * own content) is called outside the try. When it throws, evaluate() throws with the message
   * counted in the pilot store; the dispatcher releases only the gates that returned ALLOW, so the
   * tenant gate's reservation is never given back: each such failure costs the tenant a slot of its
   * warm-up cap for the day though nothing was sent. Correct: a failing sampling callback is logged
   * and the message goes on, or the reservation is given back.
   */
  @Test
  void aThrowingSamplingPredicateLeavesNoReservationBehind() {
    World9 w =
        new World9(
            g ->
                g.plan(WarmUpPlan.builder().stages(10, 20).build())
                    .sampling(
                        (m, at) -> {},
                        1,
                        t -> {
                          throw new IllegalStateException("tenant directory unavailable");
                        }));
    w.intoPilot(ACME);
    w.at(0, "12:00");
    LocalDate today = LocalDate.ofInstant(w.clock.instant(), ZoneOffset.UTC);
    try {
      w.send(ACME);
    } catch (IllegalStateException expected) {
      // the predicate's failure escaped the dispatch: the message was not sent
    }
    long sent = w.transport.sent().size();
    assertThat(w.pilotStore.count(ACME, today)).isEqualTo(sent);
  }

  /**
   * DEFECT: the pilot store keeps a tenant's stage as an index into the plan; nothing checks it
   * against the plan the gate runs now. After the warm-up plan is shortened (an ISV tunes it
   * between deploys, or instances run different plans during a rolling deploy), a tenant whose
   * stored stage is past the new last stage makes plan.cap(stage) throw InvalidWarmUpPlanException
   * in evaluate() for every message: its mail stops with an exception instead of going on at the
   * new plan's last stage (or graduating). Correct: the stage is clamped to the plan (or the tenant
   * graduates) and the message is decided.
   */
  @Test
  void aTenantPastTheLastStageOfAShortenedPlanIsStillDecided() {
    InMemoryPilotStore pilot = InMemoryPilotStore.of();
    World9 before = new World9(g -> g.plan(WarmUpPlan.builder().stages(2, 4, 8).build()), pilot);
    before.intoPilot(ACME);
    before.at(0, "23:30");
    before.deliver(before.send(ACME, 2));
    before.at(1, "23:30");
    before.deliver(before.send(ACME, 4));
    before.at(2, "10:00");
    before.send(ACME);
    assertThat(before.gate.pilotState(ACME).orElseThrow().stage()).isEqualTo(2);

    World9 after = new World9(g -> g.plan(WarmUpPlan.builder().stages(2, 4).build()), pilot);
    after.intoPilot(ACME);
    after.at(2, "11:00");
    DispatchResult r = after.send(ACME);
    assertThat(r.status()).isIn(DispatchStatus.SENT, DispatchStatus.DEFERRED);
  }

  private static Standing standing(Level level, Instant since, List<StandingChange> history) {
    return new Standing(
        ACME, level, since, Optional.empty(), Optional.empty(), false, Optional.empty(), history);
  }

  /**
   * DEFECT: the gate takes a "new warning" to be any standing at WARN or above whose since() is
   * newer than the last warning it charged; but a step down (RESTRICT to WARN, as the ladder does
   * after clean days or on expiry) also sets since() to now. A pilot tenant that was restricted
   * (one stage dropped) and then recovers to a warning loses another stage for getting better.
   * Correct: only an escalation (a change upwards) is a new warning; the step down keeps the stage.
   */
  @Test
  void steppingDownFromRestrictToWarnDoesNotDropAnotherStage() {
    World9 w = new World9(g -> g.plan(WarmUpPlan.builder().stages(2, 4, 8, 16).build()));
    w.intoPilot(ACME);
    w.at(0, "23:30");
    w.deliver(w.send(ACME, 2));
    w.at(1, "23:30");
    w.deliver(w.send(ACME, 4));
    w.at(2, "10:00");
    w.send(ACME);
    assertThat(w.gate.pilotState(ACME).orElseThrow().stage()).isEqualTo(2);

    Instant restrictedAt = w.clock.instant();
    StandingChange up =
        new StandingChange(
            restrictedAt, Level.NONE, Level.RESTRICT, Cause.ESCALATED, "hard bounces 6% over 7d");
    w.steward
        .stores()
        .standings()
        .update(ACME, restrictedAt, s -> standing(Level.RESTRICT, restrictedAt, List.of(up)));
    w.at(2, "10:05");
    w.send(ACME);
    assertThat(w.gate.pilotState(ACME).orElseThrow().stage()).isEqualTo(1);

    w.at(2, "12:00");
    Instant steppedDownAt = w.clock.instant();
    StandingChange down =
        new StandingChange(
            steppedDownAt,
            Level.RESTRICT,
            Level.WARN,
            Cause.STEPPED_DOWN,
            "clean for 7 days: one rung down");
    w.steward
        .stores()
        .standings()
        .update(ACME, steppedDownAt, s -> standing(Level.WARN, steppedDownAt, List.of(up, down)));
    w.at(2, "12:05");
    w.send(ACME);
    assertThat(w.gate.pilotState(ACME).orElseThrow().stage()).isEqualTo(1);
  }
}
