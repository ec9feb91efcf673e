package dev.steward.review10;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceDecision;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Level;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * "A temporary termination therefore ends" (GovernanceEvaluator.override): but the level "before
 * the override" is read from the latest OVERRIDDEN change only, so a temporary termination that a
 * second timed override replaces (or extends) comes back for ever once the second runs out.
 */
class OverrideExpiryReview10Test {
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));
  private final GovernanceEvaluator ev =
      GovernanceEvaluator.builder(
              InMemoryGovernanceMetricsStore.of(), InMemoryStandingStore.of(), clock)
          .build();

  @Test
  void extendingATemporaryTerminationStillEndsIt() {
    ev.override(
        ACME, Level.TERMINATE, "suspected fraud", "trust:lee", Optional.of(Duration.ofDays(3)));
    clock.advance(Duration.ofDays(1));
    // two more days of the same temporary termination
    ev.override(
        ACME, Level.TERMINATE, "still checking", "trust:lee", Optional.of(Duration.ofDays(3)));
    clock.advance(Duration.ofDays(4));

    GovernanceDecision d = ev.evaluate(ACME);

    assertThat(d.level())
        .as("both terminations were temporary and both ran out: %s", d.explanation())
        .isEqualTo(Level.NONE);
  }

  @Test
  void aTemporaryTerminationSoftenedToATemporarySuspensionEndsToo() {
    ev.override(
        ACME, Level.TERMINATE, "suspected fraud", "trust:lee", Optional.of(Duration.ofDays(1)));
    clock.advance(Duration.ofHours(2));
    ev.override(
        ACME,
        Level.SUSPEND,
        "fraud ruled out, abuse open",
        "trust:lee",
        Optional.of(Duration.ofDays(2)));
    clock.advance(Duration.ofDays(3));

    GovernanceDecision d = ev.evaluate(ACME);

    assertThat(d.level())
        .as("a one-day termination came back permanently: %s", d.explanation())
        .isNotEqualTo(Level.TERMINATE);
  }

  /**
   * The level before the override is looked up in the standing's history, which keeps the latest
   * {@link dev.steward.governance.Standing#MAX_HISTORY} changes; a warning recorded while an
   * override is in force (the tenant gate records one per sampled rejection) is an entry too. A
   * hundred of them push the OVERRIDDEN entry out, and the terminated tenant's temporary lift then
   * ends in good standing instead of back at terminate.
   */
  @Test
  void warningsDuringATemporaryLiftDoNotFreeATerminatedTenant() {
    ev.override(ACME, Level.TERMINATE, "contract ended", "legal:kai", Optional.empty());
    clock.advance(Duration.ofHours(1));
    ev.override(
        ACME,
        Level.RESTRICT,
        "three days to send the account-closure notice",
        "legal:kai",
        Optional.of(Duration.ofDays(3)));
    for (int i = 0; i < dev.steward.governance.Standing.MAX_HISTORY; i++) {
      clock.advance(Duration.ofMinutes(1));
      ev.warn(ACME, "content sample " + i + " rejected");
    }
    clock.advance(Duration.ofDays(3));

    GovernanceDecision d = ev.evaluate(ACME);

    assertThat(d.level())
        .as("the termination made before the temporary lift comes back: %s", d.explanation())
        .isEqualTo(Level.TERMINATE);
  }

  /**
   * "When a timed override runs out, the next evaluation returns the tenant to the standing
   * evaluation computes". With two quarantines within 90 days a repeat offence, a tenant that is
   * quarantined, steps down, and reaches quarantine again is held for a termination review; but
   * when its second quarantine comes as the end of a temporary warning, it is an OVERRIDE_ENDED
   * change, which the repeat count ignores, and the review never comes.
   */
  @Test
  void aSecondQuarantineThatEndsATemporaryOverrideStillCallsForATerminationReview() {
    dev.steward.governance.InMemoryGovernanceMetricsStore metrics =
        dev.steward.governance.InMemoryGovernanceMetricsStore.of();
    dev.steward.governance.Ladder ladder =
        dev.steward.governance.Ladder.builder()
            .threshold(Level.QUARANTINE, dev.steward.governance.GovernanceMetric.SPAM_RATE, 0.002)
            .minimumDelivered(100)
            .stepDownAfter(Duration.ofDays(1))
            .repeatOffence(Level.QUARANTINE, 2, Duration.ofDays(90))
            .build();
    GovernanceEvaluator g =
        GovernanceEvaluator.builder(metrics, InMemoryStandingStore.of(), clock)
            .ladder(ladder)
            .build();
    int[] ids = {0};
    java.util.function.BiConsumer<Integer, Integer> send =
        (delivered, spam) -> {
          java.util.List<dev.steward.governance.Increment> batch = new java.util.ArrayList<>();
          for (int i = 0; i < delivered; i++) {
            batch.add(
                dev.steward.governance.Increment.of(
                    ACME,
                    "d" + ids[0]++,
                    dev.steward.governance.Counter.DELIVERED,
                    clock.instant()));
          }
          for (int i = 0; i < spam; i++) {
            batch.add(
                dev.steward.governance.Increment.of(
                    ACME,
                    "s" + ids[0]++,
                    dev.steward.governance.Counter.SPAM_REPORT,
                    clock.instant()));
          }
          metrics.add(batch);
        };

    send.accept(1000, 3); // 0.3%: quarantine, the first offence
    assertThat(g.evaluate(ACME).level()).isEqualTo(Level.QUARANTINE);
    for (int day = 0; day < 10 && g.standing(ACME).level() != Level.NONE; day++) {
      clock.advance(Duration.ofDays(1));
      send.accept(1000, 0);
      g.evaluate(ACME);
    }
    assertThat(g.standing(ACME).level()).as("stepped down after clean days").isEqualTo(Level.NONE);

    g.override(
        ACME,
        Level.WARN,
        "complaint forwarded by a partner",
        "trust:lee",
        Optional.of(Duration.ofDays(2)));
    clock.advance(Duration.ofDays(1).plusHours(20));
    send.accept(1000, 3); // quarantine again, within 90 days of the first
    clock.advance(Duration.ofHours(5)); // the warning has run out

    GovernanceDecision d = g.evaluate(ACME);

    assertThat(d.standing().terminationReview())
        .as("a second quarantine within 90 days: %s (%s)", d.explanation(), d.level())
        .isTrue();
  }

  /**
   * The first termination had already run out (no evaluation ran since) when a human set a two-day
   * warning; the warning's OVERRIDDEN change records terminate as its "from", and its end brings
   * the long-expired termination back for good.
   */
  @Test
  void aTerminationThatHadRunOutBeforeTheNextOverrideDoesNotComeBack() {
    ev.override(
        ACME, Level.TERMINATE, "suspected fraud", "trust:lee", Optional.of(Duration.ofDays(1)));
    clock.advance(Duration.ofDays(2)); // ran out; nothing evaluated the tenant meanwhile
    ev.override(
        ACME, Level.WARN, "watch the next campaign", "trust:lee", Optional.of(Duration.ofDays(1)));
    clock.advance(Duration.ofDays(2));

    GovernanceDecision d = ev.evaluate(ACME);

    assertThat(d.level()).as("%s", d.explanation()).isNotEqualTo(Level.TERMINATE);
  }
}
