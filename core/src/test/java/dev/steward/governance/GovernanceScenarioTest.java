package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceWorld.Mix;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Scenarios over virtual weeks: one tenant's mail, evaluated daily as due work. */
class GovernanceScenarioTest {
  private static final TenantId ACME = TenantId.of("acme");

  private final GovernanceWorld world = GovernanceWorld.inMemory(ACME, Ladder.ofDefaults());

  @Test
  void aTenantWhoseSpamRateReachesPoint31PercentIsSuspendedWithTheExplanation() {
    GovernanceDecision week = world.sendDays(7, Mix.clean(1000));
    assertThat(week.level()).isEqualTo(Level.NONE);
    assertThat(week.cause()).isEqualTo(Cause.UNCHANGED);

    GovernanceDecision d = world.sendDay(new Mix(10_000, 31, 0, 0));

    assertThat(d.level()).isEqualTo(Level.SUSPEND);
    assertThat(d.cause()).isEqualTo(Cause.ESCALATED);
    Breach top = d.breaches().get(0);
    assertThat(top.metric()).isEqualTo(GovernanceMetric.SPAM_RATE);
    assertThat(top.window()).isEqualTo(MetricWindow.SPIKE_24H);
    assertThat(top.value()).isEqualTo(0.0031);
    assertThat(top.threshold()).isEqualTo(GovernanceMetric.SPAM_ACT);
    assertThat(d.explanation())
        .contains(
            "spam-rate 0.31% (31 of 10000 delivered) over 24h reached the suspend threshold 0.30%");
    // the 7-day window saw it too, at the restrict rung: 31 of 16,000
    assertThat(d.breaches())
        .anySatisfy(
            b -> {
              assertThat(b.window()).isEqualTo(MetricWindow.SEVEN_DAYS);
              assertThat(b.level()).isEqualTo(Level.RESTRICT); // 0.19%
              assertThat(b.denominator()).isEqualTo(16_000);
            });
    assertThat(world.changes).hasSize(1);
    StandingChanged c = world.changes.get(0);
    assertThat(c.from()).isEqualTo(Level.NONE);
    assertThat(c.to()).isEqualTo(Level.SUSPEND);
    assertThat(c.explanation()).isEqualTo(d.explanation());
    Standing s = world.instances.get(0).standings().find(ACME).orElseThrow();
    assertThat(s.maySend()).isFalse();
    assertThat(s.expiresAt()).contains(world.clock.instant().plus(Ladder.DEFAULT_SUSPEND_EXPIRY));
    assertThat(s.history()).last().extracting(StandingChange::cause).isEqualTo(Cause.ESCALATED);
  }

  @Test
  void aSpamRateJustBelowTheLimitIsNotSuspended() {
    world.sendDays(7, Mix.clean(1000));
    GovernanceDecision d = world.sendDay(new Mix(10_000, 29, 0, 0));
    assertThat(d.level()).isEqualTo(Level.QUARANTINE); // 0.29% >= 0.20%, < 0.30%
    assertThat(d.explanation()).contains("spam-rate 0.29%").contains("quarantine threshold 0.20%");
  }

  @Test
  void aSmallSenderIsJudgedOverSevenDaysWhenNoDayHoldsTheMinimum() {
    // 100 a day: no 24-hour window holds 200 delivered, the 7-day one does from day 2
    GovernanceDecision first = world.sendDay(new Mix(100, 1, 0, 0));
    assertThat(first.cause()).isEqualTo(Cause.INSUFFICIENT_DATA);
    GovernanceDecision d = world.sendDay(new Mix(100, 0, 0, 0));
    assertThat(d.level()).isEqualTo(Level.SUSPEND);
    assertThat(d.readings())
        .extracting(WindowReading::window, WindowReading::sufficient)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(MetricWindow.SEVEN_DAYS, true),
            org.assertj.core.groups.Tuple.tuple(MetricWindow.SPIKE_24H, false));
    assertThat(d.explanation())
        .isEqualTo(
            "spam-rate 0.50% (1 of 200 delivered) over 7d reached the suspend threshold 0.30%");
  }

  @Test
  void risingBouncesQuarantineAndSevenCleanDaysStepDownOneRungAtATime() {
    world.sendDay(new Mix(1000, 0, 10, 0)); // 1% of sent
    assertThat(world.levels()).containsExactly(Level.NONE);
    world.sendDay(new Mix(1000, 0, 40, 0)); // 3.8%: restrict
    assertThat(world.levels()).last().isEqualTo(Level.RESTRICT);
    GovernanceDecision q = world.sendDay(new Mix(1000, 0, 70, 0)); // 6.5%: quarantine
    assertThat(q.level()).isEqualTo(Level.QUARANTINE);
    assertThat(q.explanation())
        .contains(
            "hard-bounce-rate 6.54% (70 of 1070 sent) over 24h reached the quarantine threshold 5.00%");

    // clean from day 4: the 7-day window still holds the bounces, but below quarantine
    GovernanceDecision day4 = world.sendDay(Mix.clean(1000));
    assertThat(day4.cause()).isEqualTo(Cause.UNCHANGED);
    assertThat(day4.standing().cleanSince()).contains(world.clock.instant());
    world.sendDays(6, Mix.clean(1000)); // days 5 to 10
    assertThat(world.levels().subList(2, 10)).containsOnly(Level.QUARANTINE);

    GovernanceDecision down = world.sendDay(Mix.clean(1000)); // day 11: 7 days clean
    assertThat(down.cause()).isEqualTo(Cause.STEPPED_DOWN);
    assertThat(down.level()).isEqualTo(Level.RESTRICT);
    assertThat(down.explanation()).contains("clean since").contains("7 days");

    world.sendDays(14, Mix.clean(1000));
    assertThat(world.levels().get(17)).isEqualTo(Level.WARN); // day 18
    assertThat(world.levels().get(24)).isEqualTo(Level.NONE); // day 25
    assertThat(world.changes)
        .extracting(StandingChanged::to)
        .containsExactly(Level.RESTRICT, Level.QUARANTINE, Level.RESTRICT, Level.WARN, Level.NONE);
  }

  @Test
  void belowTheMinimumVolumeNothingIsDecided() {
    // 25 a day: the 7-day window never holds 200 delivered; a third bounce and 4% spam
    GovernanceDecision d = world.sendDays(21, new Mix(25, 1, 12, 0));
    assertThat(d.cause()).isEqualTo(Cause.INSUFFICIENT_DATA);
    assertThat(d.explanation())
        .contains("insufficient data")
        .contains("175 delivered over 7d")
        .contains("minimum of 200");
    assertThat(world.levels()).containsOnly(Level.NONE);
    assertThat(world.changes).isEmpty();
    assertThat(d.breaches()).isEmpty();
  }

  @Test
  void threeQuarantinesWithinNinetyDaysCallForATerminationReview() {
    Mix bad = new Mix(1000, 0, 70, 0);
    assertThat(world.sendDay(bad).level()).isEqualTo(Level.QUARANTINE);
    world.sendDays(8, Mix.clean(1000));
    assertThat(world.levels()).last().isEqualTo(Level.RESTRICT);
    GovernanceDecision second = world.sendDay(bad);
    assertThat(second.level()).isEqualTo(Level.QUARANTINE);
    assertThat(second.cause()).isEqualTo(Cause.ESCALATED);
    world.sendDays(8, Mix.clean(1000));
    assertThat(world.levels()).last().isEqualTo(Level.RESTRICT);

    GovernanceDecision third = world.sendDay(bad);

    assertThat(third.cause()).isEqualTo(Cause.TERMINATION_REVIEW);
    assertThat(third.level()).isEqualTo(Level.SUSPEND);
    assertThat(third.standing().terminationReview()).isTrue();
    assertThat(third.explanation())
        .contains("hard-bounce-rate")
        .contains(
            "escalation 3 to quarantine or above within 90 days calls for a termination review");
    assertThat(world.changes)
        .last()
        .extracting(StandingChanged::cause)
        .isEqualTo(Cause.TERMINATION_REVIEW);
  }

  @Test
  void twoQuarantinesNinetyDaysApartAreNotARepeatOffence() {
    Ladder ladder =
        Ladder.ofDefaults().toBuilder()
            .repeatOffence(Level.QUARANTINE, 2, Duration.ofDays(5))
            .build();
    GovernanceWorld w = GovernanceWorld.inMemory(ACME, ladder);
    Mix bad = new Mix(1000, 0, 70, 0);
    w.sendDay(bad);
    w.sendDays(8, Mix.clean(1000));
    GovernanceDecision again = w.sendDay(bad);
    assertThat(again.cause()).isEqualTo(Cause.ESCALATED);
    assertThat(again.standing().terminationReview()).isFalse();
  }

  @Test
  void aHumanOverrideWithAReasonWinsAndIsRecordedUntilItEnds() {
    world.sendDays(7, Mix.clean(1000));
    world.sendDay(new Mix(10_000, 31, 0, 0));
    GovernanceEvaluator ev = world.instances.get(0).evaluator();
    Standing o =
        ev.override(
            ACME,
            Level.WARN,
            "complaints came from one imported list, now removed",
            "csm:kim",
            Optional.of(Duration.ofDays(3)));
    assertThat(o.level()).isEqualTo(Level.WARN);
    assertThat(o.history())
        .last()
        .satisfies(
            c -> {
              assertThat(c.cause()).isEqualTo(Cause.OVERRIDDEN);
              assertThat(c.explanation()).contains("csm:kim").contains("imported list");
            });
    GovernanceDecision d = world.sendDay(new Mix(10_000, 31, 0, 0));
    assertThat(d.cause()).isEqualTo(Cause.OVERRIDE_IN_FORCE);
    assertThat(d.level()).isEqualTo(Level.WARN);
    assertThat(d.explanation()).contains("override by csm:kim in force").contains("spam-rate");
    world.sendDay(Mix.clean(10_000));
    // the override ends after 3 days: evaluation resumes from its level, by the metrics
    GovernanceDecision after = world.sendDay(Mix.clean(10_000));
    assertThat(after.standing().override()).isEmpty();
    assertThat(after.explanation()).startsWith("override by csm:kim ended");
    assertThat(after.level()).isEqualTo(after.breaches().get(0).level());
    assertThat(after.standing().history())
        .extracting(StandingChange::cause)
        .containsSubsequence(Cause.ESCALATED, Cause.OVERRIDDEN, Cause.OVERRIDE_ENDED);
  }

  @Test
  void anActionExpiresWhenNothingRenewsIt() {
    world.sendDays(7, Mix.clean(1000));
    world.sendDay(new Mix(10_000, 31, 0, 0));
    assertThat(world.levels()).last().isEqualTo(Level.SUSPEND);
    // suspended: no more mail. The 7-day window renews the suspension while it holds the spike
    // (day 14: the spike day alone, 0.31%); then nothing can be judged until the expiry
    GovernanceDecision last = world.sendDays(7, new Mix(0, 0, 0, 0));
    assertThat(last.cause()).isEqualTo(Cause.INSUFFICIENT_DATA);
    java.time.Instant expiry = last.standing().expiresAt().orElseThrow();
    assertThat(expiry).isAfter(world.clock.instant().plus(Duration.ofDays(20)));
    GovernanceDecision d = last;
    while (world.clock.instant().plus(Duration.ofDays(1)).isBefore(expiry)) {
      d = world.sendDay(new Mix(0, 0, 0, 0));
      assertThat(d.cause()).isEqualTo(Cause.INSUFFICIENT_DATA);
      assertThat(d.level()).isEqualTo(Level.SUSPEND);
    }
    GovernanceDecision expired = world.sendDay(new Mix(0, 0, 0, 0));
    assertThat(world.clock.instant()).isEqualTo(expiry);
    assertThat(expired.cause()).isEqualTo(Cause.EXPIRED);
    assertThat(expired.level()).isEqualTo(Level.QUARANTINE);
    assertThat(expired.explanation()).contains("suspend expired at " + expiry);
    assertThat(expired.standing().expiresAt())
        .contains(expiry.plus(Ladder.DEFAULT_QUARANTINE_EXPIRY));
  }

  @Test
  void terminationIsOnlyAHumanDecision() {
    GovernanceEvaluator ev = world.instances.get(0).evaluator();
    ev.override(ACME, Level.TERMINATE, "fraud confirmed", "trust:lee", Optional.empty());
    GovernanceDecision d = world.sendDay(Mix.clean(1000));
    assertThat(d.level()).isEqualTo(Level.TERMINATE);
    assertThat(d.cause()).isEqualTo(Cause.OVERRIDE_IN_FORCE);
    assertThat(List.copyOf(Ladder.ofDefaults().rungs().keySet()))
        .containsExactly(Level.WARN, Level.RESTRICT, Level.QUARANTINE, Level.SUSPEND);
  }
}
