package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Hostile review (rb3): a step's texts that become a message's or a store's values (a template id,
 * a variant's name, an attribute, a journey to enrol in) with half a surrogate pair. No message and
 * no store keeps one (PostgreSQL writes '?'); before the fix the definition took it, and every
 * contact reaching a send step whose template id held one had that step FAILED (the message was
 * refused when built) with the half pair written into its history. They are refused when the
 * journey is defined, naming the field; a whole pair is kept and its message sent.
 */
class StepTextRb3Test {
  private static final String HALF = "x-\uD83D";

  @Test
  void halfASurrogatePairInAStepsTextIsRefusedWhenTheJourneyIsDefinedNamingTheField() {
    Map<String, ThrowingCallable> made =
        Map.of(
            "template id",
            () -> Step.Send.of("s0", HALF, MessageKind.EDUCATIONAL, "news", null),
            "variant name",
            () -> new Step.Variant(HALF, "tpl", 1),
            "attribute of step 'u'",
            () -> new Step.UpdateAttribute("u", HALF, Optional.of("v"), Optional.empty()),
            "journey of step 'in'",
            () -> new Step.EnrolIn("in", HALF, Optional.empty()));
    made.forEach(
        (field, make) ->
            assertThatThrownBy(make)
                .as(field)
                .isInstanceOf(InvalidJourneyException.class)
                .hasMessageContaining(field)
                .hasMessageContaining("surrogate"));
  }

  @Test
  void aWholePairInATemplateIdIsKeptAndItsMessageSent() {
    String pair = "tpl-\uD83D\uDE00";
    Instant start = Instant.parse("2026-03-02T09:00:00Z");
    JourneyKit kit =
        new JourneyKit(
            start,
            b ->
                b.journey(
                    JourneyDefinition.builder("pair", 1)
                        .step(Step.Send.of("s0", pair, MessageKind.EDUCATIONAL, "news", null))
                        .build()));
    ContactId c = kit.contact("ann", ZoneOffset.UTC, Map.of());
    kit.enrol(c, "pair");

    kit.runUntil(start.plus(Duration.ofHours(1)), Duration.ofMinutes(10));

    assertThat(kit.sends()).containsExactly("ann " + pair + " " + start);
    assertThat(kit.store.history(JourneyKit.TENANT, kit.only(c).id()))
        .extracting(HistoryEntry::outcome)
        .isEqualTo(List.of(StepOutcome.ENTERED, StepOutcome.SENT));
  }
}
