package dev.steward.review8;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.StewardException;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Level;
import dev.steward.governance.StandingChanged;
import dev.steward.governance.StandingStore;
import dev.steward.jdbc.JdbcStandingStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** Hostile review of the governance evaluator's human overrides. */
class GovernanceEvaluatorReview8Test {
  private static final Instant NOW = Instant.parse("2026-03-02T10:15:00Z");
  private static final TenantId T = TenantId.of("t1");

  private static GovernanceEvaluator evaluator(
      StandingStore standings, List<StandingChanged> told) {
    return GovernanceEvaluator.builder(
            InMemoryGovernanceMetricsStore.of(), standings, Clock.fixed(NOW, ZoneOffset.UTC))
        .listener(told::add)
        .build();
  }

  private static StandingStore h2(String name) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review8ev" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
    StewardSchema.bootstrap(ds);
    return JdbcStandingStore.of(ds);
  }

  /**
   * DEFECT: clearOverride on a tenant that has no override changes nothing, yet it tells every
   * listener a StandingChanged with cause OVERRIDE_ENDED and "override cleared by ...": a CSM
   * integration or audit log is told of an override ending that never existed. Correct: no event
   * (or a specific exception saying there is no override to clear).
   */
  @Test
  void clearingAnOverrideThatDoesNotExistTellsNoListener() {
    List<StandingChanged> told = new ArrayList<>();
    GovernanceEvaluator ev = evaluator(InMemoryStandingStore.of(), told);
    ev.evaluate(T);
    told.clear();
    try {
      ev.clearOverride(T, "tidy up", "ops@example.com");
    } catch (StewardException refused) {
      // refusing is acceptable too
    }
    assertThat(told).as("events told for an override that never existed").isEmpty();
    assertThat(ev.standing(T).history()).noneMatch(c -> c.cause().name().equals("OVERRIDE_ENDED"));
  }

  /**
   * DEFECT: when a human override runs out, the decider records OVERRIDE_ENDED in the history but
   * returns the decision under the cause that follows (here INSUFFICIENT_DATA), and evaluate()
   * tells listeners only on a level change or on cause OVERRIDE_ENDED, which decide() never
   * returns. So a timed override that ends with the level unchanged is never told to the
   * StandingListeners (a CSM tool or audit log watching overrides never sees it end), unlike
   * clearOverride. Correct: a StandingChanged with cause OVERRIDE_ENDED is published.
   */
  @Test
  void anOverrideThatRunsOutIsToldToTheListeners() {
    dev.steward.testing.SettableClock clock = dev.steward.testing.SettableClock.of(NOW);
    List<StandingChanged> told = new ArrayList<>();
    GovernanceEvaluator ev =
        GovernanceEvaluator.builder(
                InMemoryGovernanceMetricsStore.of(), InMemoryStandingStore.of(), clock)
            .listener(told::add)
            .build();
    ev.override(
        T,
        Level.RESTRICT,
        "complaint from a mailbox provider",
        "ops",
        Optional.of(java.time.Duration.ofDays(1)));
    told.clear();
    clock.advance(java.time.Duration.ofDays(2));

    ev.evaluate(T);

    assertThat(ev.standing(T).override()).as("the override has ended").isEmpty();
    assertThat(told)
        .extracting(StandingChanged::cause)
        .contains(dev.steward.governance.Cause.OVERRIDE_ENDED);
  }
}
