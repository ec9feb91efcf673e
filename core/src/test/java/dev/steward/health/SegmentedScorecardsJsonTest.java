package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Segmented scorecards survive a JSON round trip, and bad documents fail naming the fault. */
class SegmentedScorecardsJsonTest {

  private static Scorecard card(String id, int version) {
    return Scorecard.builder(id)
        .version(version)
        .measure(
            Measure.of("logins", 2, Mapping.logarithmic(0, 100)).withMaxAge(Duration.ofDays(7)))
        .group("support", 1, Measure.of("tickets", 1, Mapping.linear(10, 0)))
        .build();
  }

  private static final Scorecard SMB = card("smb", 2);
  private static final Scorecard ENTERPRISE = card("enterprise", 5);
  private static final Scorecard ONBOARDING = card("onboarding", 1);

  private static SegmentedScorecards segmented() {
    return SegmentedScorecards.builder(SMB)
        .segment("onboarding", Map.of("stage", "onboarding"), ONBOARDING)
        .segment("enterprise", Map.of("tier", "enterprise", "region", "eu"), ENTERPRISE)
        .segment("enterprise-us", Map.of("tier", "enterprise"), ENTERPRISE)
        .build();
  }

  /** A valid document with one part replaced, for the error cases. */
  private static String doc(String scorecards, String dflt, String segments) {
    return "{\"format\":1,\"scorecards\":["
        + scorecards
        + "],\"default\":"
        + dflt
        + ",\"segments\":["
        + segments
        + "]}";
  }

  private static final String SMB_JSON =
      "{\"id\":\"smb\",\"items\":[{\"measure\":\"x\",\"weight\":1,"
          + "\"mapping\":{\"type\":\"linear\",\"poor\":0,\"good\":1}}]}";
  private static final String ENT_JSON = SMB_JSON.replace("\"smb\"", "\"ent\"");

  @Test
  void roundTripKeepsSegmentsOrderMatchesAndScorecards() {
    SegmentedScorecards original = segmented();

    String json = original.toJson();
    SegmentedScorecards back = SegmentedScorecards.fromJson(json);

    assertThat(back.defaultScorecard()).isEqualTo(SMB);
    assertThat(back.segments()).isEqualTo(original.segments());
    assertThat(back.choose(Map.of("tier", "enterprise", "region", "eu")).segment())
        .isEqualTo("enterprise");
    assertThat(back.choose(Map.of("tier", "enterprise")).scorecard().version()).isEqualTo(5);
    assertThat(back.choose(Map.of("tier", "smb")).scorecard()).isEqualTo(SMB);
    assertThat(back.toJson()).isEqualTo(json);
  }

  @Test
  void aScorecardUsedTwiceIsWrittenOnce() {
    String json = segmented().toJson();

    assertThat(json.split("\"id\" : \"enterprise\"", -1)).hasSize(2);
    assertThat(json).contains("\"default\" : \"smb\"");
  }

  @Test
  void twoDifferentScorecardsWithOneIdCannotBeWritten() {
    SegmentedScorecards clash =
        SegmentedScorecards.builder(SMB).segment("new", Map.of("k", "v"), card("smb", 3)).build();

    assertThatThrownBy(() -> clash.toJson())
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessageContaining("segment 'new' uses scorecard 'smb' v3")
        .hasMessageContaining("another scorecard with that id (v2)");
  }

  @Test
  void aSegmentWithoutSegmentsIsJustTheDefault() {
    SegmentedScorecards s = SegmentedScorecards.fromJson(doc(SMB_JSON, "\"smb\"", ""));

    assertThat(s.segments()).isEmpty();
    assertThat(s.choose(Map.of()).scorecard().id()).isEqualTo("smb");
  }

  @Test
  void danglingReferencesNameTheSegmentAndTheKnownScorecards() {
    assertThatThrownBy(() -> SegmentedScorecards.fromJson(doc(SMB_JSON, "\"smbb\"", "")))
        .isInstanceOf(InvalidScorecardException.class)
        .hasMessage(
            "segmented scorecards: 'default' names scorecard 'smbb',"
                + " which is not among the scorecards [smb]");
    String seg = "{\"name\":\"ent\",\"match\":{\"tier\":\"e\"},\"scorecard\":\"entreprise\"}";
    assertThatThrownBy(() -> SegmentedScorecards.fromJson(doc(SMB_JSON, "\"smb\"", seg)))
        .hasMessage(
            "segmented scorecards: segment 'ent': 'scorecard' names scorecard 'entreprise',"
                + " which is not among the scorecards [smb]");
  }

  @Test
  void anInvalidScorecardIsNamedByItsPosition() {
    String bad = SMB_JSON.replace("\"weight\":1", "\"weight\":-1");

    assertThatThrownBy(() -> SegmentedScorecards.fromJson(doc(bad, "\"smb\"", "")))
        .hasMessage(
            "segmented scorecards: scorecards[0]: measure 'x': weight must not be negative, got"
                + " -1.0");
  }

  @Test
  void duplicateAndUnusedScorecardsAreRejected() {
    assertThatThrownBy(
            () -> SegmentedScorecards.fromJson(doc(SMB_JSON + "," + SMB_JSON, "\"smb\"", "")))
        .hasMessage(
            "segmented scorecards: scorecards[1]: id 'smb' is used by an earlier scorecard");
    assertThatThrownBy(
            () -> SegmentedScorecards.fromJson(doc(SMB_JSON + "," + ENT_JSON, "\"smb\"", "")))
        .hasMessage(
            "segmented scorecards: scorecard 'ent' is defined but neither the default nor any"
                + " segment uses it");
  }

  @Test
  void segmentFieldsAreChecked() {
    String typo = "{\"name\":\"ent\",\"macth\":{\"tier\":\"e\"},\"scorecard\":\"ent\"}";
    assertThatThrownBy(
            () -> SegmentedScorecards.fromJson(doc(SMB_JSON + "," + ENT_JSON, "\"smb\"", typo)))
        .hasMessage(
            "segmented scorecards: segments[0]: unknown field 'macth'; allowed: [match, name,"
                + " scorecard]");
    String number = "{\"name\":\"ent\",\"match\":{\"seats\":500},\"scorecard\":\"ent\"}";
    assertThatThrownBy(
            () -> SegmentedScorecards.fromJson(doc(SMB_JSON + "," + ENT_JSON, "\"smb\"", number)))
        .hasMessage(
            "segmented scorecards: segment 'ent': match value of 'seats' must be a string, got"
                + " 500");
    String empty = "{\"name\":\"ent\",\"match\":{},\"scorecard\":\"ent\"}";
    assertThatThrownBy(
            () -> SegmentedScorecards.fromJson(doc(SMB_JSON + "," + ENT_JSON, "\"smb\"", empty)))
        .hasMessage(
            "segmented scorecards: segment 'ent': needs at least one attribute to match; use the"
                + " default instead");
    String reserved = "{\"name\":\"default\",\"match\":{\"a\":\"b\"},\"scorecard\":\"ent\"}";
    assertThatThrownBy(
            () -> SegmentedScorecards.fromJson(doc(SMB_JSON + "," + ENT_JSON, "\"smb\"", reserved)))
        .hasMessage("segmented scorecards: segment name 'default' is already used");
  }

  @Test
  void aSegmentHiddenByAnEarlierOneIsRejected() {
    String broad = "{\"name\":\"ent\",\"match\":{\"tier\":\"e\"},\"scorecard\":\"ent\"}";
    String narrow =
        "{\"name\":\"ent-eu\",\"match\":{\"tier\":\"e\",\"region\":\"eu\"},\"scorecard\":\"smb\"}";

    assertThatThrownBy(
            () ->
                SegmentedScorecards.fromJson(
                    doc(SMB_JSON + "," + ENT_JSON, "\"smb\"", broad + "," + narrow)))
        .hasMessage(
            "segmented scorecards: segment 'ent-eu' can never be chosen: the earlier segment"
                + " 'ent' matches every account it matches ({tier=e})");
    // the other way round both can be chosen
    assertThat(
            SegmentedScorecards.fromJson(
                    doc(SMB_JSON + "," + ENT_JSON, "\"smb\"", narrow + "," + broad))
                .segments())
        .extracting(SegmentedScorecards.Segment::name)
        .containsExactly("ent-eu", "ent");
  }

  @Test
  void documentLevelProblemsAreNamed() {
    assertThatThrownBy(() -> SegmentedScorecards.fromJson("[1]"))
        .hasMessage("segmented scorecards JSON must be an object");
    assertThatThrownBy(() -> SegmentedScorecards.fromJson("{\"scorecards\":"))
        .hasMessageStartingWith("segmented scorecards JSON is malformed");
    assertThatThrownBy(() -> SegmentedScorecards.fromJson("{\"scorecards\":[],\"default\":\"x\"}"))
        .hasMessage("segmented scorecards: 'scorecards' must be a non-empty array");
    assertThatThrownBy(
            () -> SegmentedScorecards.fromJson(doc(SMB_JSON, "\"smb\"", "").replace(":1,", ":2,")))
        .hasMessage("segmented scorecards JSON format 2 is not supported; this version reads 1");
    assertThatThrownBy(() -> SegmentedScorecards.fromJson(doc(SMB_JSON, "7", "")))
        .hasMessage("segmented scorecards: 'default' must be a string");
  }
}
