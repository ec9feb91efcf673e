package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.StewardException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScorecardValidationTest {

  @Test
  void exceptionIsAStewardException() {
    assertThat(new InvalidScorecardException("x")).isInstanceOf(StewardException.class);
  }

  @Test
  void emptyScorecardIsRejected() {
    assertThatThrownBy(() -> Scorecard.builder("empty").build())
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessage("scorecard 'empty' has no measures");
  }

  @Test
  void negativeWeightIsRejected() {
    assertThatThrownBy(() -> Measure.of("logins", -1, Mapping.linear(0, 1)))
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessage("measure 'logins': weight must not be negative, got -1.0");
    assertThatThrownBy(() -> MeasureGroup.of("usage", -0.5, Measure.of("a", 1, Mapping.linear(0, 1))))
        .hasMessage("group 'usage': weight must not be negative, got -0.5");
    assertThatThrownBy(() -> Measure.of("logins", Double.NaN, Mapping.linear(0, 1)))
        .hasMessageContaining("weight must be finite");
  }

  @Test
  void allZeroWeightsAreRejected() {
    assertThatThrownBy(
            () -> Scorecard.builder("z").measure(Measure.of("a", 0, Mapping.linear(0, 1))).build())
        .hasMessage("scorecard 'z': all weights are 0; at least one must be positive");
    assertThatThrownBy(
            () ->
                Scorecard.builder("z")
                    .group("g", 1, Measure.of("a", 0, Mapping.linear(0, 1)))
                    .build())
        .hasMessage("scorecard 'z': group 'g' has weight 1.0 but all its measures have weight 0");
  }

  @Test
  void duplicateIdsAreRejected() {
    assertThatThrownBy(
            () ->
                Scorecard.builder("d")
                    .measure(Measure.of("a", 1, Mapping.linear(0, 1)))
                    .group("g", 1, Measure.of("a", 1, Mapping.linear(0, 1)))
                    .build())
        .hasMessage("scorecard 'd': duplicate id 'a'");
  }

  @Test
  void unknownMeasureIsRejected() {
    Scorecard.Builder b = Scorecard.builder("u").measure(Measure.of("a", 1, Mapping.linear(0, 1)));
    assertThatThrownBy(() -> b.weight("b", 2))
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessage("scorecard 'u': unknown measure or group 'b'");
    assertThatThrownBy(() -> b.remove("b")).hasMessage("scorecard 'u': unknown measure or group 'b'");
  }

  @Test
  void overlappingBandsAreRejected() {
    assertThatThrownBy(
            () ->
                new DisplayScheme(
                    "mine",
                    List.of(new Band("red", 0, 50), new Band("yellow", 40, 80), new Band("green", 80, 100))))
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessage("display scheme 'mine': band red [0.0, 50.0) overlaps band yellow [40.0, 80.0)");
  }

  @Test
  void bandsWithAGapOrNotCoveringTheRangeAreRejected() {
    assertThatThrownBy(
            () -> new DisplayScheme("gap", List.of(new Band("low", 0, 40), new Band("high", 50, 100))))
        .hasMessageContaining("gap between band low [0.0, 40.0) and band high [50.0, 100]");
    assertThatThrownBy(() -> new DisplayScheme("short", List.of(new Band("low", 10, 100))))
        .hasMessageContaining("bands must cover 0..100");
  }

  @Test
  void overlappingTiersAreRejected() {
    assertThatThrownBy(() -> Mapping.tiers(0, 10, 50, 5, 100))
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessageContaining("tiers overlap: cut 5.0 is not above the previous cut 10.0");
  }

  @Test
  void badMappingsAreRejected() {
    assertThatThrownBy(() -> Mapping.linear(3, 3)).hasMessageContaining("poor and good must differ");
    assertThatThrownBy(() -> Mapping.linearBounded(0, 1, 80, 20))
        .hasMessageContaining("floor 80.0 must be below ceiling 20.0");
    assertThatThrownBy(() -> Mapping.logarithmic(-1, 10)).hasMessageContaining("must be counts");
    assertThatThrownBy(() -> Mapping.tiers(0, 10, 120)).hasMessageContaining("score 1 must be within 0..100");
  }

  @Test
  void badIdsAndDurationsAreRejected() {
    assertThatThrownBy(() -> Measure.of("Logins!", 1, Mapping.linear(0, 1)))
        .hasMessageContaining("measure id 'Logins!' is not valid");
    assertThatThrownBy(
            () -> Measure.of("a", 1, Mapping.linear(0, 1)).withMaxAge(Duration.ZERO))
        .hasMessage("measure 'a': maxAge must be positive, got PT0S");
    assertThatThrownBy(() -> Scorecard.builder("v").version(0))
        .hasMessage("scorecard 'v': version must be at least 1, got 0");
    assertThatThrownBy(() -> Scorecard.builder("v").minCoverage(1.5))
        .hasMessage("scorecard 'v': minCoverage must be within 0..1, got 1.5");
  }

  @Test
  void toBuilderMakesANewVersionWithoutChangingTheOld() {
    Scorecard v1 =
        Scorecard.builder("c")
            .measure(Measure.of("a", 1, Mapping.linear(0, 1)))
            .group("g", 1, Measure.of("b", 1, Mapping.linear(0, 1)), Measure.of("c2", 1, Mapping.linear(0, 1)))
            .build();
    Scorecard v2 = v1.toBuilder().version(2).weight("b", 3).remove("a").build();
    assertThat(v1.measures()).extracting(Measure::id).containsExactly("a", "b", "c2");
    assertThat(v2.measures()).extracting(Measure::id).containsExactly("b", "c2");
    assertThat(v2.percentContributions()).containsEntry("b", 75.0).containsEntry("c2", 25.0);
    assertThat(v2.version()).isEqualTo(2);
  }
}
