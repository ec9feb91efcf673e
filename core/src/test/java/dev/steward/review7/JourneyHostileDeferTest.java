package dev.steward.review7;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hostile review of dev.steward.journey: a send the dispatcher defers, and signals. */
class JourneyHostileDeferTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  /**
   * DEFECT: signal() is for replies and custom events, but it accepts "opened" (and "clicked") and
   * resumes a wait that is bound to a particular message's open without any message: a caller's
   * signal "opened" for one email moves every enrolment of the contact waiting for the open of
   * another one, and an unknown event ("bogus") is accepted silently. Correct: signal refuses
   * opened/clicked and unknown event names with an InvalidJourneyException naming the event.
   */
  @Test
  void signalRefusesMessageBoundAndUnknownEvents() {
    JourneyDefinition d =
        JourneyDefinition.builder("nudge", 1)
            .step(send("critical", "opened?"))
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

    assertThatThrownBy(() -> kit.scheduler.signal(JourneyKit.TENANT, c, "opened"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("opened");
    assertThatThrownBy(() -> kit.scheduler.signal(JourneyKit.TENANT, c, "bogus"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("bogus");
  }
}
