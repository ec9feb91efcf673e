package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static org.assertj.core.api.Assertions.assertThat;

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
 * An open or click that an instance not registering the enrolment's version remembers as a signal
 * while the wait runs is read when the wait's timeout comes: it satisfies the wait only if it is
 * what the wait waits for and happened by the wait's due time.
 */
class RollingDeploySignalTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  private static JourneyDefinition journey(int version, String event) {
    return JourneyDefinition.builder("j", version)
        .step(Step.Send.of("s", "tpl-v" + version, MessageKind.EDUCATIONAL, "onboarding", "w"))
        .step(
            new Step.WaitForEvent(
                "w", event, Duration.ofDays(2), Optional.of("thanks"), Optional.of("fallback")))
        .step(Step.Send.of("thanks", "tpl-thanks", MessageKind.EDUCATIONAL, "onboarding", null))
        .step(Step.Send.of("fallback", "tpl-fallback", MessageKind.EDUCATIONAL, "onboarding", null))
        .build();
  }

  /**
   * Enrols ann on the newer instance, then the older one receives {@code type} at {@code after}.
   */
  private static List<String> templatesAfter(String waitFor, EmailEventType type, Duration after) {
    JourneyKit older = new JourneyKit(START, b -> b.journey(journey(1, waitFor)));
    JourneyKit newer =
        new JourneyKit(older.clock, older.store, older.work, b -> b.journey(journey(2, waitFor)));
    ContactId c = older.contact("ann", BERLIN, Map.of());
    assertThat(newer.enrol(c, "j").enrolled()).isTrue();
    newer.driver.runDue();
    Message m = newer.sentTo(c).get(0);
    older.clock.advance(after); // the newer instance's runner has not run meanwhile
    older
        .scheduler
        .emailEventListener()
        .onEvents(List.of(JourneyKit.event("ev-1", type, m, older.clock.instant())));
    newer.runUntil(START.plus(Duration.ofDays(4)), Duration.ofHours(1));
    return newer.sentTo(c).stream().map(Message::templateId).toList();
  }

  @Test
  void anOpenAfterTheWaitRanOutTakesTheTimeoutPathThoughTheTimeoutHadNotRunYet() {
    assertThat(templatesAfter(Step.OPENED, EmailEventType.OPEN, Duration.ofDays(2).plusHours(1)))
        .containsExactly("tpl-v2", "tpl-fallback");
  }

  @Test
  void anOpenDoesNotSatisfyAWaitForAClick() {
    assertThat(templatesAfter(Step.CLICKED, EmailEventType.OPEN, Duration.ofHours(2)))
        .containsExactly("tpl-v2", "tpl-fallback");
  }

  @Test
  void aClickInTimeSatisfiesAWaitForAnOpen() {
    assertThat(templatesAfter(Step.OPENED, EmailEventType.CLICK, Duration.ofHours(2)))
        .containsExactly("tpl-v2", "tpl-thanks");
  }
}
