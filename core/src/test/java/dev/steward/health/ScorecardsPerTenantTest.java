package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scorecards per tenant: through the segments (the tenant as an attribute) or per tenant. */
class ScorecardsPerTenantTest {
  static final Instant NOW = Instant.parse("2026-06-01T09:00:00Z");
  static final TenantId ISV_A = TenantId.of("isv-a");
  static final TenantId ISV_B = TenantId.of("isv-b");
  static final AccountId ACME = AccountId.of("acme");

  static Scorecard card(String id, String measure) {
    return Scorecard.builder(id).measure(Measure.of(measure, 1, Mapping.linear(0, 100))).build();
  }

  static final Scorecard STANDARD = card("standard", "logins");
  static final Scorecard A_USAGE = card("a-usage", "usage");
  static final Scorecard A_ENTERPRISE = card("a-enterprise", "seats");

  static SegmentedScorecards segments() {
    return SegmentedScorecards.builder(STANDARD)
        .segment("a-enterprise", Map.of("tenant", "isv-a", "tier", "enterprise"), A_ENTERPRISE)
        .segment("a", Map.of("tenant", "isv-a"), A_USAGE)
        .build();
  }

  @Test
  void aSegmentCanNameATenantAndTheTenantIsMatchedWithTheAccountsAttributes() {
    SegmentedScorecards s = segments();

    assertThat(s.choose(ISV_A, Map.of()).scorecard()).isEqualTo(A_USAGE);
    assertThat(s.choose(ISV_A, Map.of("tier", "enterprise")).segment()).isEqualTo("a-enterprise");
    assertThat(s.choose(ISV_B, Map.of("tier", "enterprise")).segment())
        .isEqualTo(SegmentedScorecards.DEFAULT);
    // the attribute may repeat the tenant, never contradict it
    assertThat(s.choose(ISV_A, Map.of("tenant", "isv-a")).scorecard()).isEqualTo(A_USAGE);
    assertThatThrownBy(() -> s.choose(ISV_B, Map.of("tenant", "isv-a")))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("attributes name tenant 'isv-a'")
        .hasMessageContaining("of tenant 'isv-b'");
    assertThatThrownBy(() -> s.choose(null, Map.of()))
        .isInstanceOf(InvalidHealthInputException.class)
        .hasMessageContaining("tenant");
  }

  @Test
  void tenantSegmentsRoundTripThroughJson() {
    SegmentedScorecards back = SegmentedScorecards.fromJson(segments().toJson());

    assertThat(back.choose(ISV_A, Map.of("tier", "enterprise")).scorecard())
        .isEqualTo(A_ENTERPRISE);
    assertThat(back.choose(ISV_B, Map.of()).scorecard()).isEqualTo(STANDARD);
  }

  @Test
  void eachTenantMayHaveScorecardsOfItsOwnAndTheRestTheFallback() {
    SegmentedScorecards bOwn =
        SegmentedScorecards.builder(card("b-default", "nps"))
            .segment("b-smb", Map.of("tier", "smb"), card("b-smb", "tickets"))
            .build();
    TenantScorecards resolver = TenantScorecards.builder(segments()).tenant(ISV_B, bOwn).build();

    assertThat(resolver.choose(ISV_B, Map.of("tier", "smb")).scorecard().id()).isEqualTo("b-smb");
    assertThat(resolver.choose(ISV_B, Map.of()).scorecard().id()).isEqualTo("b-default");
    // tenants without their own go through the fallback's segments, which may name them
    assertThat(resolver.choose(ISV_A, Map.of()).scorecard()).isEqualTo(A_USAGE);
    assertThat(resolver.choose(TenantId.of("isv-c"), Map.of()).scorecard()).isEqualTo(STANDARD);
    assertThat(resolver.of(ISV_B)).contains(bOwn);
    assertThat(resolver.of(ISV_A)).isEmpty();

    assertThatThrownBy(
            () -> TenantScorecards.builder(STANDARD).tenant(ISV_B, bOwn).tenant(ISV_B, bOwn))
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessageContaining("tenant 'isv-b' is given scorecards twice");
    assertThatThrownBy(() -> TenantScorecards.builder((Scorecard) null))
        .isInstanceOf(InvalidScorecardException.class);
  }

  @Test
  void theSameAccountUnderTwoTenantsIsScoredByEachTenantsScorecardAndKeptApart() {
    ScorecardResolver resolver = TenantScorecards.builder(STANDARD).tenant(ISV_A, A_USAGE).build();
    HealthInputs inputs =
        HealthInputs.builder().put("logins", 80, NOW).put("usage", 20, NOW).build();
    HealthHistoryStore history = InMemoryHealthHistoryStore.of();
    HealthMonitor monitor = HealthMonitor.colours().history(history).build();

    for (TenantId tenant : new TenantId[] {ISV_A, ISV_B}) {
      Scorecard card = resolver.choose(tenant, Map.of()).scorecard();
      monitor.evaluate(tenant, ACME, HealthScoreCalculator.score(card, inputs, NOW));
    }

    assertThat(history.latest(ISV_A, ACME).orElseThrow().scorecardId()).isEqualTo("a-usage");
    assertThat(history.latest(ISV_A, ACME).orElseThrow().value()).isEqualTo(20);
    assertThat(history.latest(ISV_B, ACME).orElseThrow().scorecardId()).isEqualTo("standard");
    assertThat(history.latest(ISV_B, ACME).orElseThrow().value()).isEqualTo(80);
    assertThat(monitor.bandOf(ISV_A, ACME)).contains("red");
    assertThat(monitor.bandOf(ISV_B, ACME)).contains("green");
  }
}
