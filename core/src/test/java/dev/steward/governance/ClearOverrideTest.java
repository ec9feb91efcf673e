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

/** Clearing an override announces a change only when there was an override to clear. */
class ClearOverrideTest {
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-11-27T12:00:00Z"));
  private final List<StandingChanged> heard = new ArrayList<>();
  private final GovernanceEvaluator evaluator =
      GovernanceEvaluator.builder(
              InMemoryGovernanceMetricsStore.of(), InMemoryStandingStore.of(), clock)
          .listener(heard::add)
          .build();

  @Test
  void clearingWhenNothingIsOverriddenChangesAndAnnouncesNothing() {
    Standing before = evaluator.standing(ACME);

    Standing after = evaluator.clearOverride(ACME, "tidying up", "ops:ana");

    assertThat(heard).isEmpty();
    assertThat(after.history()).isEqualTo(before.history());
    assertThat(after.override()).isEmpty();
  }

  @Test
  void clearingAnOverrideAnnouncesItsEndOnce() {
    evaluator.override(
        ACME, Level.SUSPEND, "abuse report", "trust:lee", Optional.of(Duration.ofDays(2)));
    heard.clear();

    Standing after = evaluator.clearOverride(ACME, "report withdrawn", "trust:lee");

    assertThat(after.override()).isEmpty();
    assertThat(heard)
        .singleElement()
        .satisfies(e -> assertThat(e.cause()).isEqualTo(Cause.OVERRIDE_ENDED));
    assertThat(after.history())
        .last()
        .satisfies(c -> assertThat(c.cause()).isEqualTo(Cause.OVERRIDE_ENDED));
  }
}
