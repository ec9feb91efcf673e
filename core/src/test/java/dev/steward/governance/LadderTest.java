package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The ladder as data: defaults on published limits, JSON both ways, and specific errors. */
class LadderTest {

  @Test
  void defaultsAreAnchoredOnThePublishedLimits() {
    Ladder l = Ladder.ofDefaults();
    assertThat(l.rung(Level.WARN).get().threshold(GovernanceMetric.SPAM_RATE)).contains(0.001);
    assertThat(l.rung(Level.SUSPEND).get().threshold(GovernanceMetric.SPAM_RATE)).contains(0.003);
    assertThat(l.rung(Level.QUARANTINE).get().threshold(GovernanceMetric.HARD_BOUNCE_RATE))
        .contains(0.05);
    assertThat(l.rung(Level.SUSPEND).get().threshold(GovernanceMetric.HARD_BOUNCE_RATE))
        .contains(0.10);
    for (GovernanceMetric m : GovernanceMetric.values()) {
      assertThat(l.rung(Level.WARN).get().threshold(m)).as(m.jsonName()).contains(m.defaultWarn());
      assertThat(l.rung(m.defaultActLevel()).get().threshold(m))
          .as(m.jsonName())
          .contains(m.defaultAct());
      assertThat(m.defaultAct()).as(m.jsonName()).isGreaterThan(m.defaultWarn());
    }
    assertThat(l.minimumDelivered()).isEqualTo(200);
    assertThat(l.stepDownAfter()).isEqualTo(Duration.ofDays(7));
    assertThat(l.repeatCount()).isEqualTo(3);
    assertThat(l.repeatWithin()).isEqualTo(Duration.ofDays(90));
    assertThat(l.repeatLevel()).isEqualTo(Level.QUARANTINE);
    assertThat(l.inactiveAfter()).isEqualTo(Duration.ofDays(180));
  }

  @Test
  void jsonRoundTripsAndCanChangeOneSetting() {
    Ladder l = Ladder.ofDefaults();
    assertThat(Ladder.fromJson(l.toJson())).isEqualTo(l);
    Ladder custom =
        Ladder.fromJson(
            "{\"minimumDelivered\": 500, \"rungs\": {\"warn\": {\"expiryDays\": 3,"
                + " \"thresholds\": {\"spam-rate\": 0.0008}}, \"suspend\": {\"thresholds\":"
                + " {\"spam-rate\": 0.002}}}}");
    assertThat(custom.minimumDelivered()).isEqualTo(500);
    assertThat(custom.rungs().keySet()).containsExactly(Level.WARN, Level.SUSPEND);
    assertThat(custom.expiryOf(Level.WARN)).isEqualTo(Duration.ofDays(3));
    assertThat(custom.expiryOf(Level.SUSPEND)).isEqualTo(Ladder.DEFAULT_SUSPEND_EXPIRY);
    assertThat(Ladder.fromJson(custom.toJson())).isEqualTo(custom);
  }

  @Test
  void overlappingLevelsAreRefusedNamingBothRungsAndTheMetric() {
    assertThatThrownBy(
            () ->
                Ladder.builder()
                    .threshold(Level.WARN, GovernanceMetric.SPAM_RATE, 0.001)
                    .threshold(Level.RESTRICT, GovernanceMetric.SPAM_RATE, 0.003)
                    .threshold(Level.QUARANTINE, GovernanceMetric.SPAM_RATE, 0.002)
                    .build())
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("overlap")
        .hasMessageContaining(
            "rung quarantine's spam-rate threshold 0.002 is not above rung restrict's 0.003");
    assertThatThrownBy(
            () ->
                Ladder.ofDefaults().toBuilder()
                    .threshold(Level.SUSPEND, GovernanceMetric.HARD_BOUNCE_RATE, 0.05)
                    .build())
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining(
            "rung suspend's hard-bounce-rate threshold 0.05 is not above rung quarantine's 0.05");
    // the same from JSON
    assertThatThrownBy(
            () ->
                Ladder.fromJson(
                    "{\"rungs\": {\"warn\": {\"thresholds\": {\"block-rate\": 0.1}},"
                        + " \"restrict\": {\"thresholds\": {\"block-rate\": 0.05}}}}"))
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining(
            "rung restrict's block-rate threshold 0.05 is not above rung warn's 0.1");
  }

  @Test
  void negativeZeroAndImpossibleThresholdsAreRefused() {
    assertThatThrownBy(
            () -> Ladder.builder().threshold(Level.WARN, GovernanceMetric.SPAM_RATE, -0.001))
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("rung warn: spam-rate threshold -0.001 must be above 0");
    assertThatThrownBy(() -> Ladder.builder().threshold(Level.WARN, GovernanceMetric.SPAM_RATE, 0))
        .isInstanceOf(InvalidLadderException.class);
    assertThatThrownBy(
            () -> Ladder.builder().threshold(Level.WARN, GovernanceMetric.BLOCK_RATE, 5).build())
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("block-rate threshold 5.0 is above 1");
    assertThatThrownBy(
            () -> Ladder.fromJson("{\"rungs\": {\"warn\": {\"thresholds\": {\"spam-rate\": -1}}}}"))
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("spam-rate threshold -1.0 must be above 0");
    assertThatThrownBy(() -> Ladder.builder().minimumDelivered(0))
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("minimumDelivered");
    assertThatThrownBy(
            () -> Ladder.builder().threshold(Level.TERMINATE, GovernanceMetric.SPAM_RATE, 0.01))
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("termination is a human decision");
    assertThatThrownBy(() -> Ladder.builder().build())
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("at least one rung");
  }

  @Test
  void jsonWithAnUnknownMetricLevelOrFieldIsRefusedByPath() {
    assertThatThrownBy(
            () ->
                Ladder.fromJson("{\"rungs\": {\"warn\": {\"thresholds\": {\"spam-rat\": 0.001}}}}"))
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("rungs.warn.thresholds.spam-rat")
        .hasMessageContaining("unknown metric 'spam-rat'")
        .hasMessageContaining("spam-rate");
    assertThatThrownBy(
            () ->
                Ladder.fromJson(
                    "{\"rungs\": {\"warning\": {\"thresholds\": {\"spam-rate\": 0.001}}}}"))
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("rungs.warning")
        .hasMessageContaining("unknown level 'warning'");
    assertThatThrownBy(() -> Ladder.fromJson("{\"minimumDelivred\": 5}"))
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("unknown field 'minimumDelivred'");
    assertThatThrownBy(() -> Ladder.fromJson("{\"minimumDelivered\": 5, \"minimumDelivered\": 6}"))
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> Ladder.fromJson("{\"minimumDelivered\": \"many\"}"))
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("minimumDelivered must be a whole number");
    assertThatThrownBy(() -> Ladder.fromJson("{\"rungs\": {\"warn\": {}}}"))
        .isInstanceOf(InvalidLadderException.class)
        .hasMessageContaining("rungs.warn.thresholds");
  }

  @Test
  void overridesAndEvaluatorSettingsRefuseBadInput() {
    assertThatThrownBy(
            () ->
                new HumanOverride(
                    Level.SUSPEND,
                    " ",
                    "ops",
                    GovernanceWorld.START,
                    java.util.Optional.empty(),
                    Level.NONE))
        .isInstanceOf(InvalidGovernanceException.class)
        .hasMessageContaining("needs a reason");
    assertThatThrownBy(
            () ->
                GovernanceEvaluator.builder(
                        InMemoryGovernanceMetricsStore.of(),
                        InMemoryStandingStore.of(),
                        dev.steward.testing.SettableClock.of(GovernanceWorld.START))
                    .every(Duration.ofSeconds(5)))
        .isInstanceOf(InvalidGovernanceException.class)
        .hasMessageContaining("every must be at least 1 minute");
  }
}
