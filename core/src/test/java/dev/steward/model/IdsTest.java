package dev.steward.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** mem: the one-pass id check refuses what it refused before, naming the first problem alike. */
class IdsTest {

  @Test
  void refusesEachProblemWithItsOwnMessage() {
    assertThatThrownBy(() -> Ids.check("ContactId", null)).hasMessage("ContactId must not be null");
    assertThatThrownBy(() -> Ids.check("ContactId", " \t "))
        .hasMessage("ContactId must not be blank");
    assertThatThrownBy(() -> Ids.check("ContactId", "x".repeat(201)))
        .hasMessage("ContactId is 201 characters long; at most 200 allowed");
    assertThatThrownBy(() -> Ids.check("ContactId", "a\u0001b"))
        .hasMessage("ContactId 'a\u0001b' contains a control character at 1");
    assertThatThrownBy(() -> Ids.check("ContactId", "ab\uDC00"))
        .hasMessage("ContactId has half a surrogate pair at 2; no store keeps it exactly");
    assertThatThrownBy(() -> Ids.check("ContactId", "\uD83D\uDE00\uD800"))
        .hasMessageContaining("half a surrogate pair at 2");
  }

  @Test
  void aControlCharacterIsNamedBeforeAnEarlierHalfPairAndBlankBeforeLength() {
    assertThatThrownBy(() -> Ids.check("MessageId", "\uD800x\u0085"))
        .hasMessageContaining("contains a control character at 2");
    assertThatThrownBy(() -> Ids.check("MessageId", " ".repeat(300)))
        .hasMessage("MessageId must not be blank");
  }

  @Test
  void letsWholePairsAndOrdinaryTextThrough() {
    String emoji = "team-\uD83D\uDE00-é";
    assertThat(Ids.check("TenantId", emoji)).isSameAs(emoji);
    assertThat(Ids.check("TenantId", "x".repeat(200))).hasSize(200);
  }
}
