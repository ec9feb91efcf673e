package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Scorecard and segmented-scorecard JSON with a repeated key or trailing text is refused. */
class ScorecardJsonStrictTest {
  private static final String CARD =
      "{\"id\":\"smb\",\"items\":[{\"measure\":\"x\",\"weight\":1,"
          + "\"mapping\":{\"type\":\"linear\",\"poor\":0,\"good\":1}}]}";

  @Test
  void aScorecardWithARepeatedKeyIsRefusedNamingItsPath() {
    String json = CARD.replace("\"weight\":1,", "\"weight\":1,\"weight\":5,");

    assertThatThrownBy(() -> Scorecard.fromJson(json))
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessage("scorecard JSON has the key 'weight' twice in items[0] (line 1, column 56)");
  }

  @Test
  void aScorecardWithTextAfterItsEndIsRefused() {
    assertThatThrownBy(() -> Scorecard.fromJson(CARD + "\n]"))
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessage("scorecard JSON has text after its end (line 2, column 1): ']'");
  }

  @Test
  void segmentedScorecardsAreReadJustAsStrictly() {
    String json =
        "{\"format\":1,\"scorecards\":["
            + CARD
            + "],\"default\":\"smb\",\"default\":\"other\",\"segments\":[]}";

    assertThatThrownBy(() -> SegmentedScorecards.fromJson(json))
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessageStartingWith("segmented scorecards JSON has the key 'default' twice (line 1, ");
    assertThatThrownBy(
            () ->
                SegmentedScorecards.fromJson(
                    "{\"format\":1,\"scorecards\":[" + CARD + "],\"default\":\"smb\"} x"))
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessageStartingWith("segmented scorecards JSON has text after its end")
        .hasMessageEndingWith(": 'x'");
  }
}
