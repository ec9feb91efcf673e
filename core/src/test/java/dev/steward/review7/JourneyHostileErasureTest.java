package dev.steward.review7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.Step;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
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

/** Hostile review of dev.steward.journey: erasure with sends pending, and a resume that fails. */
class JourneyHostileErasureTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  private final SettableClock clock = SettableClock.of(START);
  private final InMemoryWorkStore inner = InMemoryWorkStore.of(clock);
  private final JourneyHostileCrashTest.FlakyWorkStore work =
      new JourneyHostileCrashTest.FlakyWorkStore(inner);
  private final RecordingTransport transport = RecordingTransport.of();

  private JourneyScheduler journeys;
  private ManualWorkDriver driver;

  private void wire(Gate gate, JourneyDefinition d) {
    Dispatcher.Builder db = Dispatcher.builder(transport, clock).workStore(work);
    if (gate != null) {
      db.gate(gate);
    }
    Dispatcher dispatcher = db.build();
    journeys =
        JourneyScheduler.builder(clock, InMemoryJourneyStore.of(), work)
            .dispatcher(dispatcher)
            .journey(d)
            .build();
    WorkRunner runner =
        journeys.registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock))).build();
    driver = ManualWorkDriver.of(runner, clock);
  }

  private ContactId put(String id) {
    ContactId c = ContactId.of(id);
    journeys.putContact(
        new ContactProfile(
            JourneyKit.TENANT,
            c,
            AccountId.of("acct"),
            Optional.of(EmailAddress.of(id + "@example.com")),
            Optional.of(BERLIN),
            Map.of()));
    return c;
  }

  /** A gate that defers every message by a day (a full cap, quiet hours). */
  private static Gate deferADay() {
    return new Gate() {
      @Override
      public String name() {
        return "hold";
      }

      @Override
      public Decision evaluate(Message m, Instant now) {
        Instant until = m.createdAt().plus(Duration.ofDays(1));
        if (now.isBefore(until)) {
          return Decision.defer(
              until, List.of(Reason.of("hold", "busy", Outcome.DEFER, "cap full")));
        }
        return Decision.allow(Reason.of("hold", "ok", Outcome.ALLOW, "fine"));
      }
    };
  }

  /**
   * DEFECT: eraseContact "forgets a contact's journeys and profile and cancels their work", but a
   * journey send the dispatcher deferred (caps, quiet hours) is not cancelled: the day after the
   * contact was erased (a GDPR erasure), the journey's email still goes out to the address.
   * Correct: erasing a contact cancels the journey's pending deferred sends too (cancel the
   * contact's work by subject across kinds, or have the dispatcher drop sends whose journey
   * enrolment is gone).
   */
  @Test
  void erasingAContactStopsItsDeferredJourneySend() {
    wire(deferADay(), JourneyDefinition.builder("j", 1).step(send("a", null)).build());
    ContactId c = put("ann");
    journeys.enrol(JourneyKit.TENANT, c, "j");
    driver.runDue(); // the send is deferred to tomorrow

    journeys.eraseContact(JourneyKit.TENANT, c);
    for (int h = 0; h < 48; h++) {
      driver.advance(Duration.ofHours(1));
    }

    assertThat(transport.sent()).as("sent after the contact was erased").isEmpty();
  }

  /**
   * DEFECT: an open resumes a waiting enrolment by writing the enrolment first and rescheduling its
   * work item second. If the work store fails in between, the listener throws, the ingestor
   * delivers the event again (at least once), and resume now finds the enrolment ACTIVE (not
   * WAITING) and does nothing: its only work item is still the old one, due at the wait's timeout,
   * so the "thanks" path runs three days late. Correct: a repeated event for an enrolment already
   * moved by it makes sure its work exists at the enrolment's due time (schedule before/after with
   * a repair on repeat), as enrol does for ALREADY_ENROLLED.
   */
  @Test
  void anOpenWhoseRescheduleFailedIsNotDelayedToTheTimeout() {
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
    wire(null, d);
    ContactId c = put("ann");
    journeys.enrol(JourneyKit.TENANT, c, "nudge");
    driver.runDue();
    Message critical = transport.sent().get(0);
    driver.advance(Duration.ofHours(1));

    var open = List.of(JourneyKit.event("o1", EmailEventType.OPEN, critical, clock.instant()));
    work.failNextSchedule.set(true);
    assertThatThrownBy(() -> journeys.emailEventListener().onEvents(open))
        .isInstanceOf(IllegalStateException.class);
    journeys.emailEventListener().onEvents(open); // the ingestor delivers it again
    for (int h = 0; h < 2; h++) {
      driver.advance(Duration.ofHours(1));
    }

    assertThat(transport.sent())
        .extracting(Message::templateId)
        .containsExactly("tpl-critical", "tpl-thanks");
  }

  /**
   * DEFECT: the same for completeTask: the enrolment is advanced, then the work store fails while
   * rescheduling; the CSM's tool retries completeTask, which answers false ("not open") and repairs
   * nothing, so the step after the task ("thanks") waits for the old item, due when the task would
   * have been overdue (2 days later). Correct: a repeated completion of a task already completed
   * makes sure the enrolment's work is due at the enrolment's due time.
   */
  @Test
  void aTaskCompletionWhoseRescheduleFailedIsNotDelayedToTheDueDate() {
    JourneyDefinition d =
        JourneyDefinition.builder("qbr", 1)
            .step(
                new Step.HumanTask(
                    "invite",
                    "qbr-invite",
                    Optional.empty(),
                    null,
                    Duration.ofDays(2),
                    Optional.of("thanks"),
                    Optional.of("thanks"),
                    Optional.empty(),
                    Optional.empty()))
            .step(send("thanks", null))
            .build();
    wire(null, d);
    ContactId c = put("ann");
    journeys.enrol(JourneyKit.TENANT, c, "qbr");
    driver.runDue();
    String task = journeys.openTasks(JourneyKit.TENANT, c).get(0).id();

    work.failNextSchedule.set(true);
    assertThatThrownBy(
            () ->
                journeys.completeTask(
                    JourneyKit.TENANT, task, dev.steward.journey.TaskOutcome.SENT_EDITED, "ok"))
        .isInstanceOf(IllegalStateException.class);
    journeys.completeTask(
        JourneyKit.TENANT, task, dev.steward.journey.TaskOutcome.SENT_EDITED, "ok"); // retried
    for (int h = 0; h < 2; h++) {
      driver.advance(Duration.ofHours(1));
    }

    assertThat(transport.sent()).extracting(Message::templateId).containsExactly("tpl-thanks");
  }
}
