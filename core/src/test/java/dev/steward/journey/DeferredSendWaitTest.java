package dev.steward.journey;

import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A wait for the open of a message the dispatcher deferred counts from the message's send. */
class DeferredSendWaitTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Instant DAY_2 = START.plus(Duration.ofDays(2));
  private static final Instant DAY_5 = START.plus(Duration.ofDays(5));

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  /** Defers the critical message to day 2, then again (its cap is still full) to day 5. */
  private static final class TwoDeferrals implements Gate {
    @Override
    public String name() {
      return "cap";
    }

    @Override
    public Decision evaluate(Message m, Instant now) {
      if (!m.templateId().equals("tpl-critical") || !now.isBefore(DAY_5)) {
        return Decision.allow(Reason.of("cap", "ok", Outcome.ALLOW, "room"));
      }
      Instant until = now.isBefore(DAY_2) ? DAY_2 : DAY_5;
      return Decision.defer(until, List.of(Reason.of("cap", "full", Outcome.DEFER, "cap full")));
    }
  }

  @Test
  void aWaitForTheOpenOfAMessageDeferredTwiceTimesOutThreeDaysAfterItsSend() {
    SettableClock clock = SettableClock.of(START);
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    RecordingTransport transport = RecordingTransport.of();
    Dispatcher dispatcher =
        Dispatcher.builder(transport, clock).workStore(work).gate(new TwoDeferrals()).build();
    JourneyDefinition d =
        JourneyDefinition.builder("nudge", 1)
            .step(send("critical", "pause"))
            .step(new Step.Wait("pause", Duration.ofHours(12), Optional.of("opened?")))
            .step(
                new Step.WaitForEvent(
                    "opened?",
                    Step.OPENED,
                    Duration.ofDays(3),
                    Optional.of("thanks"),
                    Optional.of("fallback")))
            .step(send("thanks", null))
            .step(send("fallback", null))
            .build();
    JourneyStore store = InMemoryJourneyStore.of();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, store, work).dispatcher(dispatcher).journey(d).build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(
            journeys.registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock))).build(),
            clock);
    ContactId c = ContactId.of("ann");
    journeys.putContact(
        new ContactProfile(
            TENANT,
            c,
            AccountId.of("acct"),
            Optional.of(EmailAddress.of("ann@example.com")),
            Optional.of(JourneyKit.BERLIN),
            Map.of()));
    Enrolment e = journeys.enrol(TENANT, c, "nudge").enrolment().orElseThrow();

    driver.runDue();
    while (clock.instant().isBefore(DAY_5.minus(Duration.ofMinutes(30)))) {
      driver.advance(Duration.ofMinutes(30));
    }
    assertThat(transport.sent()).isEmpty();
    while (clock.instant().isBefore(START.plus(Duration.ofDays(10)))) {
      driver.advance(Duration.ofMinutes(30));
    }

    // sent on day 5 (the message keeps the time it was made); not opened; the fallback three
    // days after the send, not after the pause
    assertThat(transport.sent())
        .extracting(m -> m.templateId() + " " + m.createdAt())
        .containsExactly("tpl-critical " + START, "tpl-fallback " + DAY_5.plus(Duration.ofDays(3)));
    List<HistoryEntry> history = journeys.history(TENANT, e.id());
    assertThat(history)
        .filteredOn(h -> h.step().equals("opened?"))
        .extracting(HistoryEntry::outcome)
        .containsExactly(
            StepOutcome.WAITING, // held until day 2
            StepOutcome.WAITING, // held again until day 5
            StepOutcome.WAITING_FOR_EVENT,
            StepOutcome.TIMED_OUT);
    assertThat(history.stream().filter(h -> h.step().equals("opened?")).findFirst())
        .hasValueSatisfying(
            h ->
                assertThat(h.detail())
                    .isEqualTo(
                        "until "
                            + DAY_2
                            + ": message j-"
                            + e.id()
                            + "-0 is deferred until then, and the wait counts from its send"));
  }
}
