package dev.steward.review10;

import static dev.steward.journey.JourneyKit.BERLIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A rolling deploy, as the scheduler provides for (an instance leaves a version it does not know to
 * the instances that know it): the provider's webhook reaches an instance that does not register
 * the enrolment's version. That instance cannot resume the wait, so it remembers the open as a
 * signal; but a remembered signal is read only when a wait begins, and this wait has begun: the
 * open is lost and the contact takes the timeout path although it opened the message in time.
 */
class RollingDeployOpenReview10Test {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  private static JourneyDefinition journey(int version) {
    return JourneyDefinition.builder("j", version)
        .step(Step.Send.of("s", "tpl-v" + version, MessageKind.EDUCATIONAL, "onboarding", "w"))
        .step(
            new Step.WaitForEvent(
                "w",
                Step.OPENED,
                Duration.ofDays(2),
                Optional.of("thanks"),
                Optional.of("fallback")))
        .step(Step.Send.of("thanks", "tpl-thanks", MessageKind.EDUCATIONAL, "onboarding", null))
        .step(Step.Send.of("fallback", "tpl-fallback", MessageKind.EDUCATIONAL, "onboarding", null))
        .build();
  }

  @Test
  void anOpenReceivedByAnInstanceThatDoesNotKnowTheVersionStillSatisfiesTheWait() {
    JourneyKit older = new JourneyKit(START, b -> b.journey(journey(1)));
    JourneyKit newer =
        new JourneyKit(older.clock, older.store, older.work, b -> b.journey(journey(2)));
    ContactId c = older.contact("ann", BERLIN, Map.of());
    assertThat(newer.enrol(c, "j").enrolled()).isTrue();
    newer.driver.runDue(); // sends tpl-v2 and begins the wait for its open
    Message m = newer.sentTo(c).get(0);
    assertThat(m.templateId()).isEqualTo("tpl-v2");

    newer.driver.advance(Duration.ofHours(2));
    // the webhook lands on an instance of the old release
    older
        .scheduler
        .emailEventListener()
        .onEvents(
            List.of(JourneyKit.event("open-1", EmailEventType.OPEN, m, older.clock.instant())));

    newer.runUntil(START.plus(Duration.ofDays(3)), Duration.ofHours(1));

    assertThat(newer.sentTo(c).stream().map(Message::templateId).toList())
        .as("the contact opened the message an hour after it went out")
        .containsExactly("tpl-v2", "tpl-thanks");
  }
}
