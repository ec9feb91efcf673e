package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScorecardJsonTest {

  @Test
  void roundTripKeepsEverything() {
    Scorecard card =
        Scorecard.builder("smb")
            .version(3)
            .minCoverage(0.7)
            .display(
                new DisplayScheme(
                    "traffic", List.of(new Band("bad", 0, 30), new Band("ok", 30, 100))))
            .measure(
                Measure.of("logins", 2, Mapping.logarithmic(0, 100))
                    .withMaxAge(Duration.ofDays(7))
                    .withHalfLife(Duration.ofDays(14))
                    .withDescription("logins, decayed"))
            .group(
                "support",
                1.5,
                Measure.of("tickets", 1, Mapping.inverted(Mapping.tiers(0, 2, 50, 5, 100))),
                Measure.of("csat", 3, Mapping.linearBounded(0.6, 0.95, 10, 90)))
            .build();
    String json = card.toJson();
    Scorecard back = Scorecard.fromJson(json);
    assertThat(back.id()).isEqualTo("smb");
    assertThat(back.version()).isEqualTo(3);
    assertThat(back.minCoverage()).isEqualTo(0.7);
    assertThat(back.display()).isEqualTo(card.display());
    assertThat(back.items()).isEqualTo(card.items());
    assertThat(back).isEqualTo(card).hasSameHashCodeAs(card);
    assertThat(back.toJson()).isEqualTo(json);
  }

  @Test
  void builtInDisplayIsWrittenByName() {
    Scorecard card =
        Scorecard.builder("g").display(DisplayScheme.GRADES).measure(BuiltInMeasures.NPS).build();
    assertThat(card.toJson()).contains("\"display\" : \"grades\"");
    assertThat(Scorecard.fromJson(card.toJson()).display()).isSameAs(DisplayScheme.GRADES);
  }

  @Test
  void builtInMeasuresCanBeNamedAndAdjusted() {
    Scorecard card =
        Scorecard.fromJson(
            "{\"id\":\"b\",\"items\":[{\"builtin\":\"nps\"},{\"builtin\":\"email_open_rate\",\"weight\":0.1}]}");
    assertThat(card.measures().get(0)).isEqualTo(BuiltInMeasures.NPS);
    assertThat(card.measures().get(1).weight()).isEqualTo(0.1);
    assertThat(card.measures().get(1).mapping())
        .isEqualTo(BuiltInMeasures.EMAIL_OPEN_RATE.mapping());
  }

  @Test
  void unknownBuiltInMeasureIsRejectedByName() {
    assertThatThrownBy(() -> Scorecard.fromJson("{\"id\":\"b\",\"items\":[{\"builtin\":\"npz\"}]}"))
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessageStartingWith(
            "scorecard 'b' measure 'npz': unknown measure 'npz'; built-in measures are [logins,");
  }

  @Test
  void typoInAFieldIsRejected() {
    assertThatThrownBy(
            () ->
                Scorecard.fromJson(
                    "{\"id\":\"t\",\"items\":[{\"measure\":\"a\",\"wieght\":1,"
                        + "\"mapping\":{\"type\":\"linear\",\"poor\":0,\"good\":1}}]}"))
        .hasMessageStartingWith("scorecard 't' measure 'a': unknown field 'wieght'");
  }

  @Test
  void badValuesNameTheirPlace() {
    assertThatThrownBy(
            () ->
                Scorecard.fromJson(
                    "{\"id\":\"t\",\"items\":[{\"group\":\"g\",\"weight\":1,\"measures\":[{\"measure\":\"a\",\"weight\":-2,"
                        + "\"mapping\":{\"type\":\"linear\",\"poor\":0,\"good\":1}}]}]}"))
        .hasMessage("measure 'a': weight must not be negative, got -2.0");
    assertThatThrownBy(
            () ->
                Scorecard.fromJson(
                    "{\"id\":\"t\",\"items\":[{\"measure\":\"a\",\"weight\":1,"
                        + "\"mapping\":{\"type\":\"thresholds\",\"cuts\":[5,5],\"scores\":[0,50,100]}}]}"))
        .hasMessageStartingWith("scorecard 't' measure 'a': thresholds mapping: tiers overlap");
    assertThatThrownBy(
            () ->
                Scorecard.fromJson(
                    "{\"id\":\"t\",\"items\":[{\"measure\":\"a\",\"weight\":1,\"maxAge\":\"7"
                        + " days\",\"mapping\":{\"type\":\"linear\",\"poor\":0,\"good\":1}}]}"))
        .hasMessageContaining("'maxAge' value '7 days' is not an ISO-8601 duration");
    assertThatThrownBy(() -> Scorecard.fromJson("{\"id\":\"t\",\"items\":[]}"))
        .hasMessage("scorecard 't' has no measures");
    assertThatThrownBy(() -> Scorecard.fromJson("{\"id\":\"t\",\"items\":[}"))
        .hasMessageStartingWith("scorecard JSON is malformed");
    assertThatThrownBy(() -> Scorecard.fromJson("{\"format\":2,\"id\":\"t\",\"items\":[]}"))
        .hasMessageContaining("format 2 is not supported");
  }
}
