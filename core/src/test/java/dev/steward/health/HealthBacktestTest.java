package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.steward.health.HealthBacktest.Outcome;
import dev.steward.health.HealthBacktest.Result;
import dev.steward.health.HealthBacktest.Snapshot;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthBacktestTest {
  static final TenantId T1 = TenantId.of("t1");

  static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");
  static final Instant RENEWAL = T0.plus(Duration.ofDays(120));
  static final Duration LEAD = Duration.ofDays(90);

  static HealthRecord rec(String account, Instant at, double value) {
    return new HealthRecord(
        T1, AccountId.of(account), at, ScoreStatus.SCORED, value, 1, "c", 1, false);
  }

  @Test
  void replayTalliesChurnPerBandAtTheLeadTime() {
    InMemoryHealthHistoryStore store = InMemoryHealthHistoryStore.of();
    // scores 100 days before renewal (inside the lead time window's past) and later ones that must
    // be ignored
    String[][] accounts = {
      {"a", "20"}, {"b", "30"}, {"c", "50"}, {"d", "60"}, {"e", "80"}, {"f", "90"}
    };
    for (String[] a : accounts) {
      store.append(rec(a[0], T0.plus(Duration.ofDays(20)), Double.parseDouble(a[1])));
      store.append(rec(a[0], T0.plus(Duration.ofDays(100)), 99)); // after the cutoff: not used
    }
    List<Outcome> outcomes =
        List.of(
            new Outcome(T1, AccountId.of("a"), Result.CHURNED, RENEWAL),
            new Outcome(T1, AccountId.of("b"), Result.RENEWED, RENEWAL),
            new Outcome(T1, AccountId.of("c"), Result.CHURNED, RENEWAL),
            new Outcome(T1, AccountId.of("d"), Result.RENEWED, RENEWAL),
            new Outcome(T1, AccountId.of("e"), Result.RENEWED, RENEWAL),
            new Outcome(T1, AccountId.of("f"), Result.RENEWED, RENEWAL),
            new Outcome(T1, AccountId.of("nobody"), Result.CHURNED, RENEWAL));
    HealthBacktest.Report r = HealthBacktest.replay(store, outcomes, LEAD, DisplayScheme.COLOURS);
    assertThat(r.band("red").orElseThrow())
        .isEqualTo(new HealthBacktest.BandResult("red", 2, 1, 1));
    assertThat(r.band("red").orElseThrow().churnRate()).isEqualTo(0.5);
    assertThat(r.band("yellow").orElseThrow().churnRate()).isEqualTo(0.5);
    assertThat(r.band("green").orElseThrow().churnRate()).isEqualTo(0.0);
    assertThat(r.unscored()).isEqualTo(1);
    // churned {20, 50}, renewed {30, 60, 80, 90}: renewed above churned in 7 of 8 pairs
    assertThat(r.auc()).isCloseTo(7 / 8.0, within(1e-12));
  }

  @Test
  void whatIfRescoresTheSameInputsWithAChangedScorecard() {
    Scorecard baseline =
        Scorecard.builder("base")
            .measure(Measure.of("logins", 1, Mapping.linear(0, 100)))
            .measure(Measure.of("tickets", 1, Mapping.linear(10, 0)))
            .build();
    Scorecard candidate = baseline.toBuilder().version(2).weight("tickets", 3).build();
    List<Snapshot> snaps = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    // churners log in a lot but file many tickets; renewers log in little and file none
    for (int i = 0; i < 4; i++) {
      Instant at = T0.plus(Duration.ofDays(10));
      AccountId churner = AccountId.of("churner-" + i);
      AccountId renewer = AccountId.of("renewer-" + i);
      snaps.add(
          new Snapshot(
              T1,
              churner,
              at,
              HealthInputs.builder().put("logins", 90, at).put("tickets", 8, at).build()));
      snaps.add(
          new Snapshot(
              T1,
              renewer,
              at,
              HealthInputs.builder().put("logins", 30, at).put("tickets", 0, at).build()));
      outcomes.add(new Outcome(T1, churner, Result.CHURNED, RENEWAL));
      outcomes.add(new Outcome(T1, renewer, Result.RENEWED, RENEWAL));
    }
    HealthBacktest.Comparison c =
        HealthBacktest.whatIf(snaps, outcomes, baseline, candidate, LEAD, DisplayScheme.COLOURS);
    // baseline: churner (90 + 20)/2 = 55, renewer (30 + 100)/2 = 65: both yellow
    assertThat(c.baseline().band("yellow").orElseThrow().accounts()).isEqualTo(8);
    assertThat(c.baseline().cases().get(0).score()).isCloseTo(55, within(1e-9));
    // candidate: churner (90 + 3*20)/4 = 37.5 red, renewer (30 + 300)/4 = 82.5 green
    assertThat(c.candidate().band("red").orElseThrow().churnRate()).isEqualTo(1.0);
    assertThat(c.candidate().band("green").orElseThrow().churnRate()).isEqualTo(0.0);
    assertThat(c.candidate().cases().get(0).score()).isCloseTo(37.5, within(1e-9));
    assertThat(c.baseline().auc()).isEqualTo(1.0);
    assertThat(c.candidate().auc()).isEqualTo(1.0);
  }

  @Test
  void aucCountsTiesAsHalf() {
    assertThat(HealthBacktest.auc(List.of(50.0), List.of(50.0))).isEqualTo(0.5);
    assertThat(HealthBacktest.auc(List.of(70.0, 10.0), List.of(40.0))).isEqualTo(0.5);
    assertThat(HealthBacktest.auc(List.of(), List.of(40.0))).isNaN();
  }
}
