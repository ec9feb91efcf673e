package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.governance.GovernanceWorld.Mix;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link GovernanceEvaluator#warn}: a warning no metric shows (a content review's rejection) puts a
 * tenant in good standing on the warn rung, which it leaves as any warning does, while metrics go
 * on escalating it; a tenant above warn keeps its level; an override in force is not touched.
 */
class RecordedWarningTest {
  private static final TenantId ACME = TenantId.of("acme");

  private static GovernanceEvaluator evaluator(GovernanceWorld w) {
    return w.instances.get(0).evaluator();
  }

  @Test
  void aWarningRaisesAGoodTenantToWarnAndCleanDaysStepItDown() {
    GovernanceWorld w = GovernanceWorld.inMemory(ACME, Ladder.ofDefaults());
    w.sendDays(2, Mix.clean(400));
    Standing s = evaluator(w).warn(ACME, "content warning: misleading subject");
    assertThat(s.level()).isEqualTo(Level.WARN);
    assertThat(s.expiresAt()).contains(w.clock.instant().plus(Ladder.DEFAULT_WARN_EXPIRY));
    StandingChange c = s.history().get(s.history().size() - 1);
    assertThat(c.from()).isEqualTo(Level.NONE);
    assertThat(c.to()).isEqualTo(Level.WARN);
    assertThat(c.explanation()).isEqualTo("content warning: misleading subject");
    assertThat(w.changes).extracting(StandingChanged::to).containsExactly(Level.WARN);

    // automatic evaluation goes on: clean days keep it at warn a week, then step it down
    assertThat(w.sendDay(Mix.clean(400)).level()).isEqualTo(Level.WARN);
    assertThat(w.sendDays(7, Mix.clean(400)).level()).isEqualTo(Level.NONE);
  }

  @Test
  void metricsStillEscalateAWarnedTenantAndAWarningDoesNotLowerAHigherLevel() {
    GovernanceWorld w = GovernanceWorld.inMemory(ACME, Ladder.ofDefaults());
    w.sendDays(2, Mix.clean(400));
    evaluator(w).warn(ACME, "content warning");
    assertThat(w.sendDay(new Mix(400, 2, 0, 0)).level()).isEqualTo(Level.SUSPEND);
    Standing s = evaluator(w).warn(ACME, "another content warning");
    assertThat(s.level()).isEqualTo(Level.SUSPEND);
    assertThat(s.history().get(s.history().size() - 1).explanation())
        .isEqualTo("another content warning");
  }

  @Test
  void anOverrideInForceIsNotTouchedAndBadInputIsRefused() {
    GovernanceWorld w = GovernanceWorld.inMemory(ACME, Ladder.ofDefaults());
    GovernanceEvaluator e = evaluator(w);
    e.override(ACME, Level.NONE, "trusted sender", "ops", Optional.of(Duration.ofDays(3)));
    Standing s = e.warn(ACME, "content warning");
    assertThat(s.level()).isEqualTo(Level.NONE);
    assertThat(s.override()).isPresent();
    assertThat(s.history().get(s.history().size() - 1).cause()).isEqualTo(Cause.OVERRIDE_IN_FORCE);
    assertThatThrownBy(() -> e.warn(ACME, " "))
        .isInstanceOf(InvalidGovernanceException.class)
        .hasMessageContaining("explanation");
    assertThatThrownBy(() -> e.warn(null, "x")).isInstanceOf(InvalidGovernanceException.class);
    assertThatThrownBy(() -> e.warn(ACME, "x".repeat(2001)))
        .isInstanceOf(InvalidGovernanceException.class)
        .hasMessageContaining("2001");
  }
}
