package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VoiceOfCustomerTest {

  @Test
  void npsWithAdjustedWaldIntervalWorkedExample() {
    // 10 answers: 5 promoters (9, 10), 3 passives (7, 8), 2 detractors (0-6): NPS = 50% - 20% = 30.
    SurveyScore s = VoiceOfCustomer.nps(10, 9, 9, 10, 9, 8, 7, 7, 3, 6);
    assertThat(s.value()).isCloseTo(30, within(1e-9));
    assertThat(s.responses()).isEqualTo(10);
    // adjusted: n' = 13, p+ = 5.75/13 = 0.442308, p- = 2.75/13 = 0.211538, d = 0.230769;
    // var = (p+ + p- - d^2)/n' = (0.653846 - 0.053254)/13 = 0.046199; se = 0.214940;
    // d -/+ 1.959964 * se = 0.230769 -/+ 0.421275 -> [-19.05, 65.20]
    assertThat(s.lower()).isCloseTo(-19.0506, within(1e-3));
    assertThat(s.upper()).isCloseTo(65.2045, within(1e-3));
    assertThat(s.lowConfidence()).isTrue();
  }

  @Test
  void npsIntervalNarrowsWithMoreAnswersAndStaysInRange() {
    SurveyScore small = VoiceOfCustomer.nps(5, 3, 2, 30);
    SurveyScore large = VoiceOfCustomer.nps(500, 300, 200, 30);
    assertThat(large.value()).isCloseTo(small.value(), within(1e-9));
    assertThat(large.upper() - large.lower()).isLessThan((small.upper() - small.lower()) / 5);
    assertThat(large.lowConfidence()).isFalse();
    SurveyScore allPromoters = VoiceOfCustomer.nps(3, 0, 0, 30);
    assertThat(allPromoters.value()).isEqualTo(100);
    assertThat(allPromoters.upper()).isLessThanOrEqualTo(100);
    assertThat(allPromoters.lower()).isLessThan(100);
  }

  @Test
  void csatWithWilsonIntervalWorkedExample() {
    // 8 of 10 rated 4 or 5. Wilson: centre = (0.8 + z^2/20)/(1 + z^2/10) = 0.716742,
    // half = z * sqrt(0.016 + z^2/400) / (1 + z^2/10) = 0.226580 -> [0.4902, 0.9433]
    SurveyScore s = VoiceOfCustomer.csat(5, 4, 4, 5, 4, 5, 4, 4, 2, 3);
    assertThat(s.value()).isCloseTo(0.8, within(1e-12));
    assertThat(s.lower()).isCloseTo(0.49016, within(1e-4));
    assertThat(s.upper()).isCloseTo(0.94332, within(1e-4));
    assertThat(s.lowConfidence()).isTrue();
  }

  @Test
  void csatOfAllSatisfiedStillHasAnIntervalBelowOne() {
    SurveyScore s = VoiceOfCustomer.csat(3, 3, 30);
    assertThat(s.value()).isEqualTo(1);
    assertThat(s.upper()).isCloseTo(1, within(1e-12));
    assertThat(s.lower()).isLessThan(0.5);
  }

  @Test
  void noAnswersGiveNoNumberAndAreLeftOutWhenScored() {
    SurveyScore s = VoiceOfCustomer.nps();
    assertThat(s.value()).isNaN();
    assertThat(s.lowConfidence()).isTrue();
    java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");
    Scorecard card =
        Scorecard.builder("v")
            .measure(BuiltInMeasures.NPS)
            .measure(BuiltInMeasures.CSAT)
            .minCoverage(0.5)
            .build();
    HealthScore score =
        HealthScoreCalculator.score(
            card,
            HealthInputs.builder()
                .put("nps", s.observation(now))
                .put("csat", VoiceOfCustomer.csat(4, 5).observation(now))
                .build(),
            now);
    assertThat(score.explanation("nps").orElseThrow().exclusion()).isEqualTo(Exclusion.NOT_A_NUMBER);
    assertThat(score.coverage()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void ratingsOutOfRangeAreRejected() {
    assertThatThrownBy(() -> VoiceOfCustomer.nps(11)).hasMessageContaining("within 0..10, got 11");
    assertThatThrownBy(() -> VoiceOfCustomer.csat(0)).hasMessageContaining("within 1..5, got 0");
  }
}
