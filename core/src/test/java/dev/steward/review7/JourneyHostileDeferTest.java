package dev.steward.review7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
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
   * DEFECT: when the dispatcher DEFERS a send (caps, quiet hours: "a capped send waits ... and is
   * not dropped"), the send step still moves on at once, and a following "wait up to 3 days for
   * opened" counts its timeout from the step's due time. Here the critical message is deferred by 4
   * days: the wait times out on day 3 and the "not opened" fallback goes out before the critical
   * message was even sent, and its open on day 4 is ignored. Correct: a wait for opened/clicked of
   * a deferred message starts counting when that message is actually sent (or the send step waits
   * for the deferred send to settle before moving on).
   */
  @Test
  void aWaitForOpenOfADeferredMessageCountsFromItsSend() {
    SettableClock clock = SettableClock.of(START);
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    RecordingTransport transport = RecordingTransport.of();
    Instant release = START.plus(Duration.ofDays(4));
    Gate holdCritical =
        new Gate() {
          @Override
          public String name() {
            return "hold";
          }

          @Override
          public Decision evaluate(Message m, Instant now) {
            if (m.templateId().equals("tpl-critical") && now.isBefore(release)) {
              return Decision.defer(
                  release, List.of(Reason.of("hold", "busy", Outcome.DEFER, "cap full")));
            }
            return Decision.allow(Reason.of("hold", "ok", Outcome.ALLOW, "fine"));
          }
        };
    Dispatcher dispatcher =
        Dispatcher.builder(transport, clock).workStore(work).gate(holdCritical).build();
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
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, InMemoryJourneyStore.of(), work)
            .dispatcher(dispatcher)
            .journey(d)
            .build();
    WorkRunner runner =
        journeys.registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock))).build();
    ManualWorkDriver driver = ManualWorkDriver.of(runner, clock);
    ContactId c = ContactId.of("ann");
    journeys.putContact(
        new dev.steward.journey.ContactProfile(
            JourneyKit.TENANT,
            c,
            dev.steward.model.AccountId.of("acct"),
            Optional.of(dev.steward.model.EmailAddress.of("ann@example.com")),
            Optional.of(BERLIN),
            Map.of()));
    journeys.enrol(JourneyKit.TENANT, c, "nudge");

    driver.runDue();
    for (int h = 0; h < 4 * 24 + 1; h++) {
      driver.advance(Duration.ofHours(1));
    }
    // the critical message has gone out by now (day 4); the contact opens it an hour later
    List<Message> sent = transport.sent();
    Message critical =
        sent.stream().filter(m -> m.templateId().equals("tpl-critical")).findFirst().orElseThrow();
    journeys
        .emailEventListener()
        .onEvents(List.of(JourneyKit.event("o1", EmailEventType.OPEN, critical, clock.instant())));
    for (int h = 0; h < 4 * 24; h++) {
      driver.advance(Duration.ofHours(1));
    }

    assertThat(transport.sent())
        .extracting(Message::templateId)
        .containsExactly("tpl-critical", "tpl-thanks");
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
