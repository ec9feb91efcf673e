package dev.steward.review8;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.Cause;
import dev.steward.governance.GovernanceDecision;
import dev.steward.governance.GovernanceWorld;
import dev.steward.governance.GovernanceWorld.Mix;
import dev.steward.governance.Ladder;
import dev.steward.governance.Level;
import dev.steward.model.TenantId;
import org.junit.jupiter.api.Test;

/** Hostile review of the standings' termination review. */
class StandingReview8Test {
  private static final TenantId ACME = TenantId.of("acme");

  /**
   * DEFECT: a termination review is documented as lasting "until a human override decides"
   * (Standing#terminationReview) and explained to the operator as "sending suspended until a human
   * decides", yet the automatic suspension it rides on expires after 30 days: a suspended tenant
   * sends nothing, so its windows hold too little mail, and on expiry the evaluator steps it down
   * to quarantine and clears the review with no human involved. A thrice-repeat offender is back to
   * sending by itself a month later. Correct: while a termination review is open the tenant stays
   * suspended (no automatic expiry or step-down) until a human override.
   */
  @Test
  void aTerminationReviewIsNotLiftedByTheClockAlone() {
    GovernanceWorld world = GovernanceWorld.inMemory(ACME, Ladder.ofDefaults());
    Mix bad = new Mix(1000, 0, 70, 0);
    world.sendDay(bad);
    world.sendDays(8, Mix.clean(1000));
    world.sendDay(bad);
    world.sendDays(8, Mix.clean(1000));
    GovernanceDecision third = world.sendDay(bad);
    assertThat(third.cause()).isEqualTo(Cause.TERMINATION_REVIEW);
    assertThat(third.explanation()).contains("until a human decides");

    // suspended: the tenant sends nothing while it waits for the human
    GovernanceDecision later = world.sendDays(45, new Mix(0, 0, 0, 0));

    assertThat(later.level()).as(later.explanation()).isEqualTo(Level.SUSPEND);
    assertThat(later.standing().terminationReview()).isTrue();
  }
}
