package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A policy with a repeated key or text after its end is refused, not half-read. */
class PolicyJsonStrictTest {

  @Test
  void aRepeatedTopLevelKeyIsRefusedNamingItAndWhereItIs() {
    String json =
        "{\"caps\": [{\"scope\": \"CONTACT\", \"max\": 2, \"window\": \"P7D\"}],\n"
            + " \"caps\": []}";

    assertThatThrownBy(() -> CapPolicy.fromJson(json))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("policy JSON has the key 'caps' twice (line 2, column 8)");
  }

  @Test
  void aRepeatedNestedKeyIsRefusedNamingItsPath() {
    String json =
        "{\"caps\": [{\"scope\": \"CONTACT\", \"max\": 2, \"max\": 9, \"window\": \"P7D\"}]}";

    assertThatThrownBy(() -> CapPolicy.fromJson(json))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("policy JSON has the key 'max' twice in caps[0] (line 1, column 47)");
  }

  @Test
  void textAfterTheClosingBraceIsRefusedQuotingIt() {
    assertThatThrownBy(() -> CapPolicy.fromJson("{\"caps\": []}\n{\"caps\": []}"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("policy JSON has text after its end (line 2, column 1): '{\"caps\": []}'");
    assertThatThrownBy(() -> CapPolicy.fromJson("{\"caps\": []} oops"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessage("policy JSON has text after its end (line 1, column 14): 'oops'");
  }

  @Test
  void otherSyntaxErrorsNameTheirPlaceWithoutParserInternals() {
    assertThatThrownBy(() -> CapPolicy.fromJson("{\"caps\": [}"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageStartingWith("policy JSON is malformed")
        .hasMessageContaining("(line 1, column 11)")
        .hasMessageNotContaining("[Source")
        .hasMessageNotContaining("com.fasterxml")
        .hasMessageNotContaining("Feature");
    assertThatThrownBy(() -> CapPolicy.fromJson("{\"caps\": [] // comment\n}"))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("(line 1, column 13)")
        .hasMessageNotContaining("ALLOW_COMMENTS");
  }
}
