package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A human's timed override that runs out returns the tenant to the standing evaluation computes,
 * and says so: the metrics' level when they can be judged, else the level before the override; a
 * termination a human made before a temporary lift comes back.
 */
class OverrideExpiryTest {
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));
  private final InMemoryGovernanceMetricsStore metrics = InMemoryGovernanceMetricsStore.of();
  private final List<StandingChanged> heard = new ArrayList<>();
  private final GovernanceEvaluator ev =
      GovernanceEvaluator.builder(metrics, InMemoryStandingStore.of(), clock)
          .listener(heard::add)
          .build();
  private int ids;

  private void send(int delivered, int spam) {
    List<Increment> batch = new ArrayList<>();
    for (int i = 0; i < delivered; i++) {
      batch.add(Increment.of(ACME, "d" + ids++, Counter.DELIVERED, clock.instant()));
    }
    for (int i = 0; i < spam; i++) {
      batch.add(Increment.of(ACME, "s" + ids++, Counter.SPAM_REPORT, clock.instant()));
    }
    metrics.add(batch);
  }

  @Test
  void aTemporaryTerminationRunsOutBackToTheStandingBeforeItWhenNothingCanBeJudged() {
    ev.override(
        ACME, Level.TERMINATE, "suspected fraud", "trust:lee", Optional.of(Duration.ofDays(3)));
    clock.advance(Duration.ofDays(4));

    GovernanceDecision d = ev.evaluate(ACME);

    assertThat(d.level()).isEqualTo(Level.NONE);
    assertThat(d.standing().override()).isEmpty();
    assertThat(d.explanation())
        .startsWith("override by trust:lee ended")
        .contains("back to none, the standing before the override");
    assertThat(d.standing().history())
        .last()
        .satisfies(
            c -> {
              assertThat(c.cause()).isEqualTo(Cause.OVERRIDE_ENDED);
              assertThat(c.from()).isEqualTo(Level.TERMINATE);
              assertThat(c.to()).isEqualTo(Level.NONE);
            });
    assertThat(heard)
        .last()
        .satisfies(
            e -> {
              assertThat(e.cause()).isEqualTo(Cause.OVERRIDE_ENDED);
              assertThat(e.from()).isEqualTo(Level.TERMINATE);
              assertThat(e.to()).isEqualTo(Level.NONE);
            });
    assertThat(ev.evaluate(ACME).level()).as("and it stays there").isEqualTo(Level.NONE);
  }

  @Test
  void aTemporarySuspensionRunsOutToTheLevelTheMetricsCallFor() {
    ev.override(ACME, Level.SUSPEND, "abuse report", "trust:lee", Optional.of(Duration.ofDays(2)));
    send(10_000, 12); // 0.12% spam: the warn rung (0.10%), below restrict (0.15%)
    clock.advance(Duration.ofDays(2).plusHours(1));

    GovernanceDecision d = ev.evaluate(ACME);

    assertThat(d.level()).isEqualTo(Level.WARN);
    assertThat(d.explanation()).contains("back to the computed standing: warn by the metrics");
    assertThat(d.standing().expiresAt())
        .contains(clock.instant().plus(ev.ladder().expiryOf(Level.WARN)));
  }

  @Test
  void aTemporaryLiftOfATerminationRunsOutBackToTerminated() {
    ev.override(ACME, Level.TERMINATE, "contract ended", "legal:kai", Optional.empty());
    clock.advance(Duration.ofHours(1));
    ev.override(
        ACME,
        Level.RESTRICT,
        "three days to send the account-closure notice",
        "legal:kai",
        Optional.of(Duration.ofDays(3)));
    send(1000, 0);
    clock.advance(Duration.ofDays(3).plusHours(1));

    GovernanceDecision d = ev.evaluate(ACME);

    assertThat(d.level()).isEqualTo(Level.TERMINATE);
    assertThat(d.explanation()).contains("back to terminate, the standing before the override");
  }

  @Test
  void aTemporaryLiftOfAnAutomaticQuarantineThatEndsStillQuarantinedIsNoSecondOffence() {
    Ladder twice =
        Ladder.builder()
            .threshold(Level.QUARANTINE, GovernanceMetric.SPAM_RATE, 0.002)
            .minimumDelivered(100)
            .repeatOffence(Level.QUARANTINE, 2, Duration.ofDays(90))
            .build();
    GovernanceEvaluator g =
        GovernanceEvaluator.builder(metrics, InMemoryStandingStore.of(), clock)
            .ladder(twice)
            .build();
    send(1000, 3); // 0.3%: quarantined, the first offence
    assertThat(g.evaluate(ACME).level()).isEqualTo(Level.QUARANTINE);
    g.override(
        ACME, Level.WARN, "two days to clean the list", "csm:ana", Optional.of(Duration.ofDays(2)));
    assertThat(g.standing(ACME).override()).map(HumanOverride::resumeTo).contains(Level.QUARANTINE);
    clock.advance(Duration.ofDays(1).plusHours(20));
    send(1000, 3); // still 0.3%: the same offence, not a new one
    clock.advance(Duration.ofHours(5));

    GovernanceDecision d = g.evaluate(ACME);

    assertThat(d.level()).isEqualTo(Level.QUARANTINE);
    assertThat(d.standing().terminationReview()).as("%s", d.explanation()).isFalse();
    assertThat(d.standing().history())
        .filteredOn(c -> c.cause() == Cause.ESCALATED)
        .as("the lift ends where it began: no escalation is recorded")
        .hasSize(1);
  }

  @Test
  void anOverrideMadeOverAPermanentSuspensionReturnsToItWhenNothingCanBeJudged() {
    ev.override(ACME, Level.SUSPEND, "abuse report", "trust:lee", Optional.empty());
    clock.advance(Duration.ofHours(1));
    ev.override(ACME, Level.RESTRICT, "one send", "trust:lee", Optional.of(Duration.ofDays(1)));
    clock.advance(Duration.ofDays(2));

    assertThat(ev.evaluate(ACME).level()).isEqualTo(Level.SUSPEND);
  }

  @Test
  void clearingByHandKeepsTheLevel() {
    ev.override(ACME, Level.SUSPEND, "abuse report", "trust:lee", Optional.of(Duration.ofDays(2)));
    Standing s = ev.clearOverride(ACME, "checked: keep it suspended a while", "trust:lee");
    assertThat(s.level()).isEqualTo(Level.SUSPEND);
    assertThat(s.expiresAt()).contains(clock.instant().plus(Ladder.DEFAULT_SUSPEND_EXPIRY));
  }

  @Test
  void aLevelWithoutARungLastsItsOwnDefaultAndNoneAndTerminateHaveNoExpiry() {
    Ladder warnOnly =
        Ladder.builder().threshold(Level.WARN, GovernanceMetric.SPAM_RATE, 0.001).build();
    assertThat(warnOnly.rung(Level.SUSPEND)).isEmpty();
    assertThat(warnOnly.expiryOf(Level.SUSPEND)).isEqualTo(Ladder.DEFAULT_SUSPEND_EXPIRY);
    assertThat(warnOnly.expiryOf(Level.QUARANTINE)).isEqualTo(Ladder.DEFAULT_QUARANTINE_EXPIRY);
    assertThat(warnOnly.expiryOf(Level.RESTRICT)).isEqualTo(Ladder.DEFAULT_RESTRICT_EXPIRY);
    assertThat(warnOnly.expiryOf(Level.WARN)).isEqualTo(Ladder.DEFAULT_WARN_EXPIRY);
    assertThatThrownBy(() -> warnOnly.expiryOf(Level.NONE))
        .isInstanceOf(InvalidGovernanceException.class)
        .hasMessageContaining("level none");
    assertThatThrownBy(() -> warnOnly.expiryOf(Level.TERMINATE))
        .isInstanceOf(InvalidGovernanceException.class)
        .hasMessageContaining("level terminate");
    assertThatThrownBy(() -> warnOnly.expiryOf(null))
        .isInstanceOf(InvalidGovernanceException.class);
  }
}
