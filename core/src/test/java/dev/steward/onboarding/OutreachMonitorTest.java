package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.Cause;
import dev.steward.governance.GovernanceDecision;
import dev.steward.governance.Level;
import dev.steward.governance.MetricCounts;
import dev.steward.governance.MetricWindow;
import dev.steward.governance.Standing;
import dev.steward.governance.WindowReading;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Outreach for mail sent mostly to unengaged addresses: the threshold, judged windows only, once
 * per episode, only ACTIVE tenants, a failing listener, and the configuration refused.
 */
class OutreachMonitorTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");
  private static final Actor RULE = Actor.rule("test");

  private final SettableClock clock = SettableClock.of(Instant.parse("2026-04-01T08:00:00Z"));
  private final OnboardingStateMachine machine =
      OnboardingStateMachine.builder(clock, InMemoryOnboardingStore.of()).build();
  private final List<OutreachFlag> flags = new CopyOnWriteArrayList<>();
  private final InMemoryWorkStore work = InMemoryWorkStore.of(clock);

  /** The monitor, registered with a runner over {@link #work}. */
  private WorkRunner runnerOf(OutreachMonitor m) {
    return m.register(WorkRunner.builder(work, clock)).build();
  }

  private void into(TenantId t, OnboardingState to) {
    machine.enrol(t, RULE);
    OnboardingPhase[] gates = {
      OnboardingPhase.VETTING,
      OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
      OnboardingPhase.CONTENT_REVIEW
    };
    OnboardingState[] next = {
      OnboardingState.DOMAIN_VERIFICATION, OnboardingState.CONTENT_REVIEW, OnboardingState.PILOT
    };
    for (int i = 0; i < 3; i++) {
      machine.recordVerdict(
          t, new PhaseVerdict(gates[i], Verdict.PASS, RULE, clock.instant(), "ok", List.of()));
      machine.transition(t, next[i], RULE, "passed");
    }
    if (to == OnboardingState.ACTIVE) {
      machine.transition(t, OnboardingState.POOL_ASSIGNMENT, RULE, "graduated");
      machine.transition(t, OnboardingState.ACTIVE, RULE, "placed");
    }
  }

  /** A decision at level NONE whose 7-day window sent 1000, {@code inactive} to unengaged. */
  private GovernanceDecision decision(TenantId t, long inactive, boolean sufficient) {
    Instant now = clock.instant();
    MetricCounts c = new MetricCounts(1000, 1000, 0, 0, 0, 0, 0, 0, inactive);
    return new GovernanceDecision(
        t,
        now,
        Level.NONE,
        Cause.UNCHANGED,
        List.of(),
        List.of(new WindowReading(MetricWindow.SEVEN_DAYS, c, sufficient)),
        "no metric at a threshold",
        Standing.initial(t, now));
  }

  @Test
  void mailMostlyToUnengagedAddressesFlagsOncePerEpisodeWithTheShare() {
    into(ACME, OnboardingState.ACTIVE);
    OutreachMonitor m =
        OutreachMonitor.builder(machine, work)
            .listener(
                f -> {
                  throw new IllegalStateException("a broken listener");
                })
            .listener(flags::add)
            .build();
    WorkRunner runner = runnerOf(m);

    m.onDecision(decision(ACME, 500, true)); // exactly half: not "mostly"
    runner.runDue();
    assertThat(flags).isEmpty();
    m.onDecision(decision(ACME, 600, true));
    m.onDecision(decision(ACME, 700, true));
    runner.runDue();

    assertThat(flags)
        .as("the broken listener does not stop the next; one flag for the episode")
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reasons()).containsExactly(OutreachFlag.Reason.MOSTLY_UNENGAGED);
              assertThat(f.level()).isEqualTo(Level.NONE);
              assertThat(f.explanation())
                  .contains("inactive-share 60.00% of 1000 sent over")
                  .contains("above the outreach threshold 50.00%");
              assertThat(f.readings()).hasSize(1);
            });
    assertThat(machine.find(ACME).orElseThrow().state()).isEqualTo(OnboardingState.OUTREACH);

    m.onDecision(decision(ACME, 100, true));
    assertThat(machine.find(ACME).orElseThrow().state()).isEqualTo(OnboardingState.ACTIVE);
    m.onDecision(decision(ACME, 900, true));
    runner.runDue();
    assertThat(flags).as("a new episode").hasSize(2);
    assertThat(flags.get(1).noticeId())
        .as("each episode's notice has its own id")
        .isNotEqualTo(flags.get(0).noticeId())
        .startsWith("acme/outreach-");
  }

  @Test
  void unjudgedWindowsTenantsNotActiveAndAnotherThresholdAreRespected() {
    into(ACME, OnboardingState.ACTIVE);
    into(GLOBEX, OnboardingState.PILOT);
    OutreachMonitor m =
        OutreachMonitor.builder(machine, work).unengagedShare(0.3).listener(flags::add).build();
    WorkRunner runner = runnerOf(m);

    m.onDecision(decision(ACME, 900, false));
    m.onDecision(decision(GLOBEX, 900, true));
    runner.runDue();
    assertThat(flags).isEmpty();
    assertThat(machine.find(GLOBEX).orElseThrow().state()).isEqualTo(OnboardingState.PILOT);

    m.onDecision(decision(ACME, 350, true));
    runner.runDue();
    assertThat(flags).singleElement().satisfies(f -> assertThat(f.tenant()).isEqualTo(ACME));
    assertThat(m.unengagedShare()).isEqualTo(0.3);
  }

  @Test
  void aShareOutsideZeroToOneIsRefused() {
    for (double bad : new double[] {0, -0.1, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> OutreachMonitor.builder(machine, work).unengagedShare(bad))
          .isInstanceOf(InvalidOnboardingInputException.class)
          .hasMessageContaining("outreach unengagedShare must be above 0 and at most 1, was");
    }
    assertThatThrownBy(() -> OutreachMonitor.builder(null, work))
        .isInstanceOf(InvalidOnboardingInputException.class);
  }
}
