package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.steward.health.HealthRollUp.Member;
import dev.steward.health.HealthRollUp.Method;
import dev.steward.health.ScoreOverride.Direction;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentsRollUpsOverridesTest {
  static final Instant NOW = Instant.parse("2026-04-01T00:00:00Z");

  static Scorecard card(String id) {
    return Scorecard.builder(id).measure(Measure.of("x", 1, Mapping.linear(0, 100))).build();
  }

  static HealthScore scored(double v) {
    return HealthScoreCalculator.score(
        card("c"), HealthInputs.builder().put("x", v, NOW).build(), NOW);
  }

  static HealthScore insufficient() {
    return HealthScoreCalculator.score(card("c"), HealthInputs.empty(), NOW);
  }

  @Test
  void firstMatchingSegmentWinsElseTheDefault() {
    Scorecard ent = card("enterprise");
    Scorecard onboarding = card("onboarding");
    Scorecard smb = card("smb");
    SegmentedScorecards s =
        SegmentedScorecards.builder(smb)
            .segment("onboarding", Map.of("stage", "onboarding"), onboarding)
            .segment("enterprise", Map.of("tier", "enterprise"), ent)
            .build();
    assertThat(s.choose(Map.of("tier", "enterprise", "stage", "onboarding")).scorecard())
        .isSameAs(onboarding);
    assertThat(s.choose(Map.of("tier", "enterprise", "stage", "established")).segment())
        .isEqualTo("enterprise");
    SegmentedScorecards.Choice none = s.choose(Map.of("tier", "smb"));
    assertThat(none.segment()).isEqualTo("default");
    assertThat(none.scorecard()).isSameAs(smb);
  }

  @Test
  void segmentsNeedAConditionAndUniqueNames() {
    SegmentedScorecards.Builder b =
        SegmentedScorecards.builder(card("d")).segment("ent", Map.of("tier", "e"), card("e"));
    assertThatThrownBy(() -> b.segment("ent", Map.of("tier", "x"), card("x")))
        .hasMessageContaining("segment name 'ent' is already used");
    assertThatThrownBy(() -> b.segment("all", Map.of(), card("x")))
        .hasMessageContaining("segment 'all': needs at least one attribute");
  }

  @Test
  void contactsRollUpByMeanRevenueAndWorst() {
    List<Member> m =
        List.of(
            Member.of("a", scored(80), 100),
            Member.of("b", scored(40), 300),
            Member.of("c", insufficient(), 600));
    HealthRollUp.Result mean = HealthRollUp.combine(m, Method.MEAN);
    assertThat(mean.value()).isCloseTo(60, within(1e-9));
    assertThat(mean.coverage()).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(mean.scored()).isEqualTo(2);
    HealthRollUp.Result rev = HealthRollUp.combine(m, Method.REVENUE_WEIGHTED);
    // (100*80 + 300*40) / 400 = 50; revenue coverage 400/1000
    assertThat(rev.value()).isCloseTo(50, within(1e-9));
    assertThat(rev.coverage()).isCloseTo(0.4, within(1e-9));
    assertThat(HealthRollUp.combine(m, Method.WORST).value()).isEqualTo(40);
    HealthRollUp.Result none =
        HealthRollUp.combine(List.of(Member.of("c", insufficient(), 1)), Method.MEAN);
    assertThat(none.status()).isEqualTo(ScoreStatus.INSUFFICIENT);
    assertThat(none.value()).isNaN();
  }

  @Test
  void childAccountsRollUpToTheParentWeightedBySubtreeRevenue() {
    AccountId parent = AccountId.of("parent");
    AccountId eu = AccountId.of("eu");
    AccountId us = AccountId.of("us");
    AccountId usWest = AccountId.of("us-west");
    Map<AccountId, List<AccountId>> tree = Map.of(parent, List.of(eu, us), us, List.of(usWest));
    Map<AccountId, HealthScore> own = Map.of(eu, scored(90), us, scored(30), usWest, scored(60));
    Map<AccountId, Double> revenue = Map.of(parent, 0.0, eu, 100.0, us, 100.0, usWest, 200.0);
    HealthRollUp.Result r =
        HealthRollUp.rollUpTree(
            parent,
            a -> tree.getOrDefault(a, List.of()),
            a -> Optional.ofNullable(own.get(a)),
            revenue::get,
            Method.REVENUE_WEIGHTED);
    // us subtree: (100*30 + 200*60)/300 = 50 with revenue 300; parent: (100*90 + 300*50)/400 = 60
    assertThat(r.value()).isCloseTo(60, within(1e-9));
    assertThat(r.revenue()).isEqualTo(400);
    assertThat(
            HealthRollUp.rollUpTree(
                    parent,
                    a -> tree.getOrDefault(a, List.of()),
                    a -> Optional.ofNullable(own.get(a)),
                    revenue::get,
                    Method.WORST)
                .value())
        .isEqualTo(30);
    Map<AccountId, List<AccountId>> cyclic = Map.of(parent, List.of(eu), eu, List.of(parent));
    assertThatThrownBy(
            () ->
                HealthRollUp.rollUpTree(
                    parent,
                    a -> cyclic.getOrDefault(a, List.of()),
                    a -> Optional.empty(),
                    a -> 1,
                    Method.MEAN))
        .hasMessageContaining("cycle");
  }

  @Test
  void lowerOnlyOverrideLowersButNeverRaises() {
    ScoreOverride o =
        new ScoreOverride(
            30,
            "csm@isv",
            "exec sponsor left",
            NOW.minusSeconds(60),
            NOW.plus(Duration.ofDays(30)),
            Direction.LOWER_ONLY);
    HealthScore lowered = o.applyTo(scored(75));
    assertThat(lowered.value()).isEqualTo(30);
    assertThat(lowered.computed()).isCloseTo(75, within(1e-9));
    assertThat(lowered.override()).isSameAs(o);
    HealthScore kept = o.applyTo(scored(20));
    assertThat(kept.value()).isCloseTo(20, within(1e-9));
    assertThat(kept.override()).isNull();
    HealthScore warned = o.applyTo(insufficient());
    assertThat(warned.status()).isEqualTo(ScoreStatus.SCORED);
    assertThat(warned.value()).isEqualTo(30);
  }

  @Test
  void overridesExpireAndRaiseOnlyCannotInventAScore() {
    ScoreOverride raise =
        new ScoreOverride(
            90,
            "cs-lead",
            "renewal signed",
            NOW.minus(Duration.ofDays(10)),
            NOW,
            Direction.RAISE_ONLY);
    assertThat(raise.applyTo(scored(50)).value()).isCloseTo(50, within(1e-9)); // expired at NOW
    ScoreOverride live =
        new ScoreOverride(
            90,
            "cs-lead",
            "renewal signed",
            NOW.minusSeconds(1),
            NOW.plusSeconds(1),
            Direction.RAISE_ONLY);
    assertThat(live.applyTo(scored(50)).value()).isEqualTo(90);
    assertThat(live.applyTo(insufficient()).isScored()).isFalse();
  }

  @Test
  void overridesAreValidated() {
    assertThatThrownBy(
            () -> new ScoreOverride(50, " ", "r", NOW, NOW.plusSeconds(1), Direction.EITHER))
        .hasMessage("override: author must not be blank");
    assertThatThrownBy(() -> new ScoreOverride(50, "a", "r", NOW, NOW, Direction.EITHER))
        .hasMessageContaining("expiresAt");
    assertThatThrownBy(
            () -> new ScoreOverride(150, "a", "r", NOW, NOW.plusSeconds(1), Direction.EITHER))
        .hasMessage("override: value must be within 0..100, got 150.0");
  }

  @Test
  void registryAppliesTheNewestOverrideInForce() {
    ScoreOverrides book = ScoreOverrides.of();
    AccountId acme = AccountId.of("acme");
    TenantId T1 = TenantId.of("t1");
    book.add(
        T1,
        acme,
        new ScoreOverride(
            40,
            "a",
            "old",
            NOW.minus(Duration.ofDays(2)),
            NOW.plus(Duration.ofDays(2)),
            Direction.EITHER));
    book.add(
        T1,
        acme,
        new ScoreOverride(
            20,
            "b",
            "new",
            NOW.minus(Duration.ofDays(1)),
            NOW.plus(Duration.ofDays(2)),
            Direction.EITHER));
    assertThat(book.apply(T1, acme, scored(70)).value()).isEqualTo(20);
    assertThat(book.apply(T1, AccountId.of("other"), scored(70)).value())
        .isCloseTo(70, within(1e-9));
    assertThat(book.activeAt(T1, acme, NOW.plus(Duration.ofDays(3)))).isEmpty();
    assertThat(book.history(T1, acme)).hasSize(2);
    // the same account under another tenant has no overrides, and erasing a tenant forgets its own
    assertThat(book.apply(TenantId.of("t2"), acme, scored(70)).value()).isCloseTo(70, within(1e-9));
    assertThat(book.eraseTenant(TenantId.of("t2"))).isZero();
    assertThat(book.eraseTenant(T1)).isEqualTo(2);
    assertThat(book.history(T1, acme)).isEmpty();
  }
}
