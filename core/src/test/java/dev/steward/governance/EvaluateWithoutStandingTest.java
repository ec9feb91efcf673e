package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Evaluating a tenant that has no standing and no events stores nothing, so an erased tenant whose
 * late events the tombstone refused is not brought back; any event, or any change, still stores.
 */
class EvaluateWithoutStandingTest {
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));
  private final InMemoryGovernanceMetricsStore metrics = InMemoryGovernanceMetricsStore.of();
  private final InMemoryStandingStore standings = InMemoryStandingStore.of();
  private final List<GovernanceDecision> decisions = new ArrayList<>();
  private final GovernanceEvaluator ev =
      GovernanceEvaluator.builder(metrics, standings, clock)
          .listener(
              new StandingListener() {
                @Override
                public void onChange(StandingChanged event) {}

                @Override
                public void onDecision(GovernanceDecision decision) {
                  decisions.add(decision);
                }
              })
          .build();

  @Test
  void aTenantWithoutStandingOrEventsIsNotStoredButItsDecisionIsTold() {
    GovernanceDecision d = ev.evaluate(ACME);

    assertThat(d.level()).isEqualTo(Level.NONE);
    assertThat(d.cause()).isEqualTo(Cause.INSUFFICIENT_DATA);
    assertThat(standings.find(ACME)).isEmpty();
    assertThat(decisions).containsExactly(d);
  }

  @Test
  void aTenantWithEventsIsStoredEvenBelowTheMinimumVolume() {
    metrics.add(Increment.of(ACME, "d1", Counter.DELIVERED, clock.instant()));

    ev.evaluate(ACME);

    assertThat(standings.find(ACME)).isPresent();
  }

  @Test
  void aStoredStandingIsStillUpdatedWhenItsEventsAreGone() {
    ev.override(ACME, Level.WARN, "watch", "ops", Optional.of(Duration.ofDays(1)));
    clock.advance(Duration.ofDays(2));

    GovernanceDecision d = ev.evaluate(ACME);

    assertThat(d.standing().override()).isEmpty();
    assertThat(standings.find(ACME)).map(Standing::override).contains(Optional.empty());
  }
}
