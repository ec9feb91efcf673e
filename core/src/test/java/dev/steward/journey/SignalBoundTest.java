package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
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
 * A journey that loops through a send keeps the signals of its last message only: opens remembered
 * for earlier messages are forgotten at the next send, and a late open of an earlier message is not
 * remembered at all.
 */
class SignalBoundTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  @Test
  void aLoopingJourneyKeepsTheSignalsOfOneMessage() {
    // weekly digest: send, pause an hour, wait a day for the open, wait out the week, again
    JourneyDefinition d =
        JourneyDefinition.builder("digest", 1)
            .step(Step.Send.of("send", "tpl-digest", MessageKind.EDUCATIONAL, "digest", "pause"))
            .step(new Step.Wait("pause", Duration.ofHours(1), Optional.of("opened?")))
            .step(
                new Step.WaitForEvent(
                    "opened?",
                    Step.OPENED,
                    Duration.ofDays(1),
                    Optional.of("week"),
                    Optional.of("week")))
            .step(new Step.Wait("week", Duration.ofDays(6), Optional.of("send")))
            .build();
    JourneyKit kit = new JourneyKit(START, b -> b.journey(d));
    ContactId ann = kit.contact("ann", BERLIN, Map.of());
    Enrolment e = kit.enrol(ann, "digest").enrolment().orElseThrow();
    kit.driver.runDue();
    for (int week = 0; week < 20; week++) {
      List<Message> sent = kit.sentTo(ann);
      Message last = sent.get(sent.size() - 1);
      // opened and clicked during the pause, before the wait began: remembered for the wait
      kit.scheduler
          .emailEventListener()
          .onEvents(
              List.of(
                  JourneyKit.event("o" + week, EmailEventType.OPEN, last, kit.clock.instant()),
                  JourneyKit.event("c" + week, EmailEventType.CLICK, last, kit.clock.instant())));
      if (week > 0) { // a late open of the week before's message: no wait will ask about it
        Message earlier = sent.get(sent.size() - 2);
        kit.scheduler
            .emailEventListener()
            .onEvents(
                List.of(
                    JourneyKit.event(
                        "late" + week, EmailEventType.OPEN, earlier, kit.clock.instant())));
      }
      kit.runUntil(kit.clock.instant().plus(Duration.ofDays(7)), Duration.ofHours(1));
    }

    List<Message> sent = kit.sentTo(ann);
    assertThat(sent).hasSize(21);
    // every wait was satisfied by the remembered open
    assertThat(kit.store.history(TENANT, e.id()))
        .filteredOn(h -> h.outcome() == StepOutcome.EVENT)
        .hasSize(20);
    int kept = 0;
    for (Message m : sent) {
      kept += kit.store.signals(TENANT, e.id(), m.id()).size();
    }
    // the last message's week has not had its open yet; earlier ones are all forgotten
    assertThat(kept).isZero();
    // a late open of an earlier message now: not remembered either
    kit.scheduler
        .emailEventListener()
        .onEvents(
            List.of(
                JourneyKit.event(
                    "late-last",
                    EmailEventType.OPEN,
                    sent.get(sent.size() - 2),
                    kit.clock.instant())));
    kept = 0;
    for (Message m : sent) {
      kept += kit.store.signals(TENANT, e.id(), m.id()).size();
    }
    assertThat(kept).isZero();
  }
}
