package dev.steward.review7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.journey.Condition;
import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hostile review of dev.steward.journey: events, definitions that validate but cannot run. */
class JourneyHostileEventsTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  /**
   * DEFECT: "critical message not opened in N days -> fallback" with a pause before the check
   * (send, wait 1 day, wait up to 3 days for 'opened'): an open that arrives during the pause is
   * dropped (the listener resumes only WAITING enrolments) and never remembered, so the contact who
   * opened the message within hours still gets the "you did not open it" fallback. Correct: the
   * wait for opened/clicked of the last message is satisfied by an open of that message that
   * happened before the wait began (remember opens/clicks of the enrolment's last message, or look
   * them up when the wait starts).
   */
  @Test
  void anOpenBeforeTheWaitBeginsIsNotLost() {
    JourneyDefinition d =
        JourneyDefinition.builder("nudge", 1)
            .step(send("critical", "pause"))
            .step(new Step.Wait("pause", Duration.ofDays(1), Optional.of("opened?")))
            .step(
                new Step.WaitForEvent(
                    "opened?",
                    "opened",
                    Duration.ofDays(3),
                    Optional.of("thanks"),
                    Optional.of("fallback")))
            .step(send("thanks", null))
            .step(send("fallback", null))
            .build();
    JourneyKit kit = new JourneyKit(START, b -> b.journey(d));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "nudge");
    kit.driver.runDue();
    Message critical = kit.sentTo(c).get(0);

    kit.driver.advance(Duration.ofHours(2));
    kit.scheduler
        .emailEventListener()
        .onEvents(
            List.of(JourneyKit.event("o1", EmailEventType.OPEN, critical, kit.clock.instant())));
    kit.runUntil(START.plus(Duration.ofDays(6)), Duration.ofHours(1));

    assertThat(kit.sentTo(c))
        .extracting(Message::templateId)
        .containsExactly("tpl-critical", "tpl-thanks");
  }

  /**
   * DEFECT: a journey's team is only stripped, never checked, yet every send puts it into
   * Source.journey(team, ...), which refuses a team longer than 200 characters or with a control
   * character. Such a definition validates (builder and JSON), and then every send step of every
   * enrolment fails inside the scheduler (caught, recorded FAILED, journey moves on): nothing is
   * ever sent and nobody is told at load time. Correct: the definition is refused when built or
   * read, with a message naming the team.
   */
  @Test
  void aTeamNoMessageCanCarryIsRefusedWithTheDefinition() {
    for (String team : List.of("t".repeat(201), "cs\u0001m")) {
      assertThatThrownBy(
              () -> JourneyDefinition.builder("teamed", 1).team(team).step(send("a", null)).build())
          .isInstanceOf(InvalidJourneyException.class)
          .hasMessageContaining("team");
    }
  }

  /** End to end: with such a team, the enrolment "completes" and no message was ever sent. */
  @Test
  void aJourneyWithABadTeamDoesNotSilentlySendNothing() {
    JourneyDefinition d;
    try {
      d =
          JourneyDefinition.builder("teamed", 1)
              .team("t".repeat(201))
              .step(send("a", null))
              .build();
    } catch (InvalidJourneyException refused) {
      return; // refused up front: correct
    }
    JourneyDefinition def = d;
    JourneyKit kit = new JourneyKit(START, b -> b.journey(def));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "teamed");
    kit.runUntil(START.plus(Duration.ofDays(1)), Duration.ofHours(1));
    assertThat(kit.sentTo(c))
        .as("history: %s", kit.store.history(JourneyKit.TENANT, kit.only(c).id()))
        .hasSize(1);
  }

  /**
   * DEFECT: the builder accepts conditions nested to any depth, but JSON is limited to 1000 levels:
   * for a definition with a condition nested 1200 deep (accepted), toJson throws
   * IllegalStateException "cannot write a JSON tree" (StreamConstraintsException), and fromJson
   * would refuse it anyway: a valid journey cannot be saved or shipped as JSON. Correct: bound the
   * nesting of conditions when the definition is built, refusing it with a message naming the
   * criterion/step, so that every valid definition round-trips through toJson/fromJson.
   */
  @Test
  void everyValidDefinitionRoundTripsThroughJson() {
    // as deep as the builder allows: saved and read back unchanged
    Condition c = Condition.exists("churned");
    for (int i = 1; i < Condition.MAX_DEPTH; i++) {
      c = Condition.not(c);
    }
    JourneyDefinition d =
        JourneyDefinition.builder("deep", 1).exitWhen("deep", c).step(send("a", null)).build();
    assertThat(JourneyDefinition.fromJson(d.toJson())).isEqualTo(d);
    // one level deeper is refused when it is built, with the depth named
    Condition deepest = c;
    assertThatThrownBy(() -> Condition.not(deepest))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("33 deep");
  }
}
