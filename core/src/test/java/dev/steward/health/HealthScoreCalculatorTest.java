package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthScoreCalculatorTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final double EPS = 1e-9;

  /**
   * usage (weight 2): logins (3, linear 0..10), dau (1, linear 0..1); support (1): tickets (linear
   * 10..0, max age 7 days); nps ungrouped (1, linear -100..100). Nominal shares: 37.5, 12.5, 25, 25.
   */
  static Scorecard worked() {
    return Scorecard.builder("worked")
        .version(4)
        .group(
            "usage",
            2,
            Measure.of("logins", 3, Mapping.linear(0, 10)),
            Measure.of("dau", 1, Mapping.linear(0, 1)))
        .group(
            "support",
            1,
            Measure.of("tickets", 1, Mapping.linear(10, 0)).withMaxAge(Duration.ofDays(7)))
        .measure(Measure.of("nps", 1, Mapping.linear(-100, 100)))
        .build();
  }

  @Test
  void nominalPercentContributionsFollowGroupAndMeasureWeights() {
    assertThat(worked().percentContributions())
        .containsExactly(
            org.assertj.core.api.Assertions.entry("logins", 37.5),
            org.assertj.core.api.Assertions.entry("dau", 12.5),
            org.assertj.core.api.Assertions.entry("tickets", 25.0),
            org.assertj.core.api.Assertions.entry("nps", 25.0));
  }

  @Test
  void allPresentIsTheWeightedMean() {
    HealthInputs in =
        HealthInputs.builder()
            .put("logins", 5, NOW) // 50
            .put("dau", 0.2, NOW) // 20
            .put("tickets", 2, NOW) // 80
            .put("nps", 20, NOW) // 60
            .build();
    HealthScore s = HealthScoreCalculator.score(worked(), in, NOW);
    // 0.375*50 + 0.125*20 + 0.25*80 + 0.25*60 = 18.75 + 2.5 + 20 + 15 = 56.25
    assertThat(s.value()).isCloseTo(56.25, within(EPS));
    assertThat(s.coverage()).isCloseTo(1.0, within(EPS));
    assertThat(s.status()).isEqualTo(ScoreStatus.SCORED);
    assertThat(s.scorecardVersion()).isEqualTo(4);
  }

  @Test
  void missingMeasureWeightIsSpreadWithinItsGroupFirst() {
    HealthInputs in =
        HealthInputs.builder()
            .put("logins", 5, NOW) // 50
            .put("tickets", 2, NOW) // 80
            .put("nps", 20, NOW) // 60
            .build();
    HealthScore s = HealthScoreCalculator.score(worked(), in, NOW);
    // dau is missing: logins carries the whole usage group (2/4): (2*50 + 1*80 + 1*60) / 4 = 60
    assertThat(s.value()).isCloseTo(60.0, within(EPS));
    assertThat(s.coverage()).isCloseTo(0.875, within(EPS));

    MeasureExplanation logins = s.explanation("logins").orElseThrow();
    assertThat(logins.raw()).isEqualTo(5.0);
    assertThat(logins.normalised()).isCloseTo(50, within(EPS));
    assertThat(logins.nominalWeight()).isEqualTo(3.0);
    assertThat(logins.nominalShare()).isCloseTo(0.375, within(EPS));
    assertThat(logins.effectiveWeight()).isCloseTo(0.5, within(EPS));
    assertThat(logins.contribution()).isCloseTo(0, within(EPS));
    assertThat(logins.group()).isEqualTo("usage");

    MeasureExplanation tickets = s.explanation("tickets").orElseThrow();
    assertThat(tickets.effectiveWeight()).isCloseTo(0.25, within(EPS));
    assertThat(tickets.contribution()).isCloseTo(7.5, within(EPS));
    assertThat(tickets.points()).isCloseTo(20, within(EPS));

    MeasureExplanation dau = s.explanation("dau").orElseThrow();
    assertThat(dau.included()).isFalse();
    assertThat(dau.exclusion()).isEqualTo(Exclusion.MISSING);
    assertThat(dau.effectiveWeight()).isZero();
    assertThat(dau.raw()).isNaN();

    double sumContrib = s.explanations().stream().mapToDouble(MeasureExplanation::contribution).sum();
    double sumPoints = s.explanations().stream().mapToDouble(MeasureExplanation::points).sum();
    assertThat(50 + sumContrib).isCloseTo(s.value(), within(EPS));
    assertThat(sumPoints).isCloseTo(s.value(), within(EPS));
  }

  @Test
  void staleGroupIsLeftOutAndItsWeightSpreadAcrossGroups() {
    HealthInputs in =
        HealthInputs.builder()
            .put("logins", 5, NOW) // 50
            .put("tickets", 2, NOW.minus(Duration.ofDays(8))) // stale: limit 7 days
            .put("nps", 20, NOW) // 60
            .build();
    HealthScore s = HealthScoreCalculator.score(worked(), in, NOW);
    // (2*50 + 1*60) / 3 = 53.333...
    assertThat(s.value()).isCloseTo(160.0 / 3, within(EPS));
    assertThat(s.coverage()).isCloseTo(0.625, within(EPS));
    MeasureExplanation tickets = s.explanation("tickets").orElseThrow();
    assertThat(tickets.exclusion()).isEqualTo(Exclusion.STALE);
    assertThat(tickets.detail()).contains("PT192H").contains("PT168H");
    assertThat(s.explanation("logins").orElseThrow().effectiveWeight())
        .isCloseTo(2.0 / 3, within(EPS));
  }

  @Test
  void dataExactlyAtTheFreshnessLimitStillCounts() {
    HealthInputs in =
        HealthInputs.builder()
            .put("tickets", 2, NOW.minus(Duration.ofDays(7)))
            .put("logins", 5, NOW)
            .put("nps", 20, NOW)
            .build();
    assertThat(HealthScoreCalculator.score(worked(), in, NOW).explanation("tickets").orElseThrow().included())
        .isTrue();
  }

  @Test
  void belowMinimumCoverageIsInsufficientNotANumber() {
    HealthInputs in = HealthInputs.builder().put("logins", 5, NOW).build(); // coverage 0.375
    HealthScore s = HealthScoreCalculator.score(worked(), in, NOW);
    assertThat(s.status()).isEqualTo(ScoreStatus.INSUFFICIENT);
    assertThat(s.score()).isEmpty();
    assertThat(s.value()).isNaN();
    assertThat(s.coverage()).isCloseTo(0.375, within(EPS));
    assertThat(s.band(DisplayScheme.COLOURS)).isEmpty();

    Scorecard lenient = worked().toBuilder().minCoverage(0.3).build();
    assertThat(HealthScoreCalculator.score(lenient, in, NOW).value()).isCloseTo(50, within(EPS));
  }

  @Test
  void observationsAfterTheScoringTimeAreNotYetKnown() {
    HealthInputs in =
        HealthInputs.builder()
            .put("logins", 5, NOW)
            .put("tickets", 2, NOW)
            .put("nps", 20, NOW.plusSeconds(1))
            .build();
    HealthScore s = HealthScoreCalculator.score(worked(), in, NOW);
    assertThat(s.explanation("nps").orElseThrow().exclusion()).isEqualTo(Exclusion.NOT_YET_OBSERVED);
    assertThat(s.value()).isCloseTo((2 * 50 + 80) / 3.0, within(EPS));
  }

  @Test
  void nonFiniteValuesAreLeftOutWithAReason() {
    HealthInputs in =
        HealthInputs.builder()
            .put("logins", Double.NaN, NOW)
            .put("dau", 0.5, NOW)
            .put("tickets", 2, NOW)
            .put("nps", 20, NOW)
            .build();
    HealthScore s = HealthScoreCalculator.score(worked(), in, NOW);
    assertThat(s.explanation("logins").orElseThrow().exclusion()).isEqualTo(Exclusion.NOT_A_NUMBER);
    // dau carries usage alone: (2*50 + 80 + 60) / 4 = 60
    assertThat(s.value()).isCloseTo(60, within(EPS));
  }

  @Test
  void zeroWeightMeasureIsExplainedButDoesNotMoveTheScore() {
    Scorecard card =
        Scorecard.builder("z")
            .measure(Measure.of("a", 1, Mapping.linear(0, 100)))
            .measure(Measure.of("b", 0, Mapping.linear(0, 100)))
            .build();
    HealthInputs in = HealthInputs.builder().put("a", 70, NOW).put("b", 0, NOW).build();
    HealthScore s = HealthScoreCalculator.score(card, in, NOW);
    assertThat(s.value()).isCloseTo(70, within(EPS));
    assertThat(s.explanation("b").orElseThrow().exclusion()).isEqualTo(Exclusion.NO_WEIGHT);
  }

  @Test
  void decayHalvesTheRawValuePerHalfLife() {
    Scorecard card =
        Scorecard.builder("decay")
            .measure(
                Measure.of("logins", 1, Mapping.linear(0, 10)).withHalfLife(Duration.ofDays(7)))
            .build();
    HealthInputs in = HealthInputs.builder().put("logins", 8, NOW.minus(Duration.ofDays(14))).build();
    HealthScore s = HealthScoreCalculator.score(card, in, NOW);
    // 8 * 2^-2 = 2 -> 20
    assertThat(s.explanation("logins").orElseThrow().raw()).isCloseTo(2.0, within(EPS));
    assertThat(s.value()).isCloseTo(20, within(EPS));
  }

  @Test
  void fastPathGivesTheSameValueStatusAndCoverage() {
    java.util.Random random = new java.util.Random(42);
    Scorecard card = worked();
    String[] ids = {"logins", "dau", "tickets", "nps"};
    for (int round = 0; round < 500; round++) {
      HealthInputs.Builder b = HealthInputs.builder();
      for (String id : ids) {
        if (random.nextInt(4) > 0) {
          b.put(id, random.nextDouble() * 40 - 20, NOW.minus(Duration.ofDays(random.nextInt(10))));
        }
      }
      HealthInputs in = b.build();
      HealthScore slow = HealthScoreCalculator.score(card, in, NOW);
      HealthScore fast = HealthScoreCalculator.scoreWithoutExplanations(card, in, NOW);
      assertThat(fast.status()).isEqualTo(slow.status());
      assertThat(fast.coverage()).isEqualTo(slow.coverage());
      if (slow.isScored()) {
        assertThat(fast.value()).isEqualTo(slow.value());
      }
      assertThat(fast.explanations()).isEmpty();
      assertThat(slow.explanations()).hasSize(4);
    }
  }

  @Test
  void scoringIsPure() {
    HealthInputs in = HealthInputs.builder().put("logins", 5, NOW).put("nps", 3, NOW).put("tickets", 1, NOW).build();
    assertThat(HealthScoreCalculator.score(worked(), in, NOW))
        .isEqualTo(HealthScoreCalculator.score(worked(), in, NOW));
  }

  @Test
  void inputsNotNamedByTheScorecardAreIgnored() {
    HealthInputs in =
        HealthInputs.builder().put("logins", 5, NOW).put("tickets", 2, NOW).put("nps", 20, NOW).put("other", 1, NOW).build();
    assertThat(HealthScoreCalculator.score(worked(), in, NOW).value()).isCloseTo(60, within(EPS));
  }

  @Test
  void describeExplainsEachMeasureForPeople() {
    HealthInputs in =
        HealthInputs.builder().put("logins", 5, NOW).put("tickets", 2, NOW).put("nps", 20, NOW).build();
    String text = HealthScoreCalculator.score(worked(), in, NOW).describe();
    assertThat(text.lines())
        .containsExactly(
            "worked v4 at 2026-03-01T12:00:00Z: 60.0 (coverage 87.5%)",
            "  logins: raw 5.0 -> 50.0, weight 37.5% -> 50.0%, contribution +0.0",
            "  dau: left out, MISSING (no data), weight 12.5%",
            "  tickets: raw 2.0 -> 80.0, weight 25.0% -> 25.0%, contribution +7.5",
            "  nps: raw 20.0 -> 60.0, weight 25.0% -> 25.0%, contribution +2.5");
    assertThat(HealthScoreCalculator.score(worked(), HealthInputs.empty(), NOW).describe())
        .startsWith("worked v4 at 2026-03-01T12:00:00Z: INSUFFICIENT (coverage 0.0%)");
  }
}
