package dev.steward.review9;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Level;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Hostile review of GovernanceEvaluator.warn (content warnings). */
class GovernanceWarnReview9Test {
  private static final TenantId ACME = TenantId.of("acme");

  /**
   * DEFECT: warn() on a tenant already at WARN only appends to the history: it keeps the first
   * warning's expiry (and its clean-since). A tenant whose sampled content is rejected again on day
   * 6 of a 7-day warning steps down to NONE on day 7, the second warning forgotten after a day;
   * rejected every day, it still steps down on the first warning's schedule. A metric still at its
   * warn threshold renews the expiry (Cause.RENEWED); a fresh content warning should too. Correct:
   * the standing stays WARN until the newest warning's own expiry.
   */
  @Test
  void aSecondWarningWhileWarnedRunsItsOwnExpiry() {
    SettableClock clock = SettableClock.of(Instant.parse("2026-06-01T09:00:00Z"));
    GovernanceEvaluator g =
        GovernanceEvaluator.builder(
                InMemoryGovernanceMetricsStore.of(), InMemoryStandingStore.of(), clock)
            .build();
    g.warn(ACME, "content warning: sampled message m-1 rejected by reviewer: phishing link");
    clock.advance(Duration.ofDays(6));
    g.warn(ACME, "content warning: sampled message m-2 rejected by reviewer: phishing link again");
    clock.advance(Duration.ofDays(1).plusHours(1));
    g.evaluate(ACME);
    assertThat(g.standing(ACME).level()).isEqualTo(Level.WARN);
  }
}
