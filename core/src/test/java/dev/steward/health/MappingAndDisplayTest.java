package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MappingAndDisplayTest {

  @Test
  void linearClampsOutsidePoorAndGood() {
    Mapping m = Mapping.linear(10, 20);
    assertThat(m.score(5)).isEqualTo(0);
    assertThat(m.score(15)).isEqualTo(50);
    assertThat(m.score(25)).isEqualTo(100);
  }

  @Test
  void linearWithPoorAboveGoodIsInverted() {
    Mapping tickets = Mapping.linear(10, 0);
    assertThat(tickets.score(0)).isEqualTo(100);
    assertThat(tickets.score(2)).isCloseTo(80, within(1e-9));
    assertThat(tickets.score(30)).isEqualTo(0);
  }

  @Test
  void boundedLinearStaysWithinFloorAndCeiling() {
    Mapping m = Mapping.linearBounded(0, 1, 20, 90);
    assertThat(m.score(-5)).isEqualTo(20);
    assertThat(m.score(0.5)).isCloseTo(55, within(1e-9));
    assertThat(m.score(7)).isEqualTo(90);
  }

  @Test
  void logarithmicRewardsTheFirstEventsMost() {
    Mapping m = Mapping.logarithmic(0, 99);
    // ln(1+9)/ln(100) = 0.5
    assertThat(m.score(9)).isCloseTo(50, within(1e-9));
    assertThat(m.score(99)).isCloseTo(100, within(1e-9));
    assertThat(m.score(-3)).isEqualTo(0);
    assertThat(Mapping.logarithmic(99, 0).score(9)).isCloseTo(50, within(1e-9));
    assertThat(Mapping.logarithmic(99, 0).score(0)).isCloseTo(100, within(1e-9));
  }

  @Test
  void tiersAreHalfOpen() {
    Mapping m = Mapping.tiers(0, 5, 50, 20, 100);
    assertThat(m.score(4.999)).isEqualTo(0);
    assertThat(m.score(5)).isEqualTo(50);
    assertThat(m.score(19.999)).isEqualTo(50);
    assertThat(m.score(20)).isEqualTo(100);
  }

  @Test
  void invertedReversesAnyMapping() {
    assertThat(Mapping.inverted(Mapping.tiers(0, 5, 50, 20, 100)).score(7)).isEqualTo(50);
    assertThat(Mapping.inverted(Mapping.linear(0, 10)).score(2)).isCloseTo(80, within(1e-9));
  }

  @Test
  void displayBandsAreHalfOpenWithTheTopClosed() {
    assertThat(DisplayScheme.COLOURS.bandOf(39.999).label()).isEqualTo("red");
    assertThat(DisplayScheme.COLOURS.bandOf(40).label()).isEqualTo("yellow");
    assertThat(DisplayScheme.COLOURS.bandOf(70).label()).isEqualTo("green");
    assertThat(DisplayScheme.COLOURS.bandOf(100).label()).isEqualTo("green");
    assertThat(DisplayScheme.GRADES.display(89.99)).isEqualTo("B");
    assertThat(DisplayScheme.GRADES.display(90)).isEqualTo("A");
    assertThat(DisplayScheme.GRADES.display(0)).isEqualTo("F");
    assertThat(DisplayScheme.NUMERIC.display(72.5)).isEqualTo("73");
  }
}
