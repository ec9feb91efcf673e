package dev.steward.journey;

import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.MailTransport;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.delivery.SendResult;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A deferral that the dispatcher is running (its send under way) when the journey looks is seen by
 * the wait's move, even when a backlog made it run more than an hour late: the wait for its open
 * counts from the send, not from while it was still on its way.
 */
class RunningDeferralHoldTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Instant DAY_1 = START.plus(Duration.ofDays(1));

  @Test
  void aDeferralRunningLateIsStillHeldUntilItsSendHasEnded() throws Exception {
    SettableClock clock = SettableClock.of(START);
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MailTransport slow =
        m -> {
          entered.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return SendResult.accepted("sg-" + m.id());
        };
    Gate untilDayOne =
        new Gate() {
          @Override
          public String name() {
            return "cap";
          }

          @Override
          public Decision evaluate(Message m, Instant now) {
            return now.isBefore(DAY_1)
                ? Decision.defer(DAY_1, List.of(Reason.of("cap", "full", Outcome.DEFER, "full")))
                : Decision.allow(Reason.of("cap", "ok", Outcome.ALLOW, "room"));
          }
        };
    Dispatcher dispatcher =
        Dispatcher.builder(slow, clock).workStore(work).gate(untilDayOne).build();
    JourneyDefinition d =
        JourneyDefinition.builder("nudge", 1)
            .step(Step.Send.of("critical", "tpl-c", MessageKind.EDUCATIONAL, "onb", "opened?"))
            .step(
                new Step.WaitForEvent(
                    "opened?", Step.OPENED, Duration.ofDays(3), Optional.empty(), Optional.empty()))
            .build();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, InMemoryJourneyStore.of(), work)
            .dispatcher(dispatcher)
            .journey(d)
            .build();
    // one runner for the dispatcher's deferrals, one for the journey, so each runs when told
    WorkRunner mail =
        dispatcher.registerWith(WorkRunner.builder(work, clock).owner("mail")).build();
    WorkRunner steps =
        journeys.registerWith(WorkRunner.builder(work, clock).owner("steps")).build();
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
    steps.runDue(); // sent: deferred to day 1; the wait is held until then
    assertThat(journeys.enrolment(TENANT, e.id()).orElseThrow().dueAt()).isEqualTo(DAY_1);

    // a backlog: the deferral runs two hours late, and its send takes a while
    Instant late = DAY_1.plus(Duration.ofHours(2));
    clock.set(late);
    CompletableFuture<Integer> sending = CompletableFuture.supplyAsync(mail::runDue);
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    steps.runDue();
    Enrolment held = journeys.enrolment(TENANT, e.id()).orElseThrow();
    assertThat(held.state()).isEqualTo(EnrolmentState.ACTIVE); // the wait has not begun
    assertThat(journeys.history(TENANT, e.id()))
        .extracting(HistoryEntry::outcome)
        .doesNotContain(StepOutcome.WAITING_FOR_EVENT);

    release.countDown();
    assertThat(sending.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    clock.set(late.plus(JourneyScheduler.HELD_RECHECK));
    steps.runDue();
    Enrolment waiting = journeys.enrolment(TENANT, e.id()).orElseThrow();
    assertThat(waiting.state()).isEqualTo(EnrolmentState.WAITING);
    // counted, as every held wait, from the time the message was due to go out
    assertThat(waiting.dueAt()).isEqualTo(DAY_1.plus(Duration.ofDays(3)));
  }

  @Test
  void aWaitBegunWhileItsDeferralLookedStrandedIsHeldAgainWhenTheCapsDeferItOnceMore() {
    Instant day5 = START.plus(Duration.ofDays(5));
    SettableClock clock = SettableClock.of(START);
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    dev.steward.testing.RecordingTransport transport = dev.steward.testing.RecordingTransport.of();
    Gate twice =
        new Gate() {
          @Override
          public String name() {
            return "cap";
          }

          @Override
          public Decision evaluate(Message m, Instant now) {
            if (!now.isBefore(day5)) {
              return Decision.allow(Reason.of("cap", "ok", Outcome.ALLOW, "room"));
            }
            Instant until = now.isBefore(DAY_1) ? DAY_1 : day5;
            return Decision.defer(until, List.of(Reason.of("cap", "full", Outcome.DEFER, "full")));
          }
        };
    Dispatcher dispatcher =
        Dispatcher.builder(transport, clock).workStore(work).gate(twice).build();
    JourneyDefinition d =
        JourneyDefinition.builder("nudge", 1)
            .step(Step.Send.of("critical", "tpl-c", MessageKind.EDUCATIONAL, "onb", "opened?"))
            .step(
                new Step.WaitForEvent(
                    "opened?",
                    Step.OPENED,
                    Duration.ofDays(3),
                    Optional.empty(),
                    Optional.of("fallback")))
            .step(Step.Send.of("fallback", "tpl-f", MessageKind.EDUCATIONAL, "onb", null))
            .build();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, InMemoryJourneyStore.of(), work)
            .dispatcher(dispatcher)
            .journey(d)
            .build();
    WorkRunner mail =
        dispatcher.registerWith(WorkRunner.builder(work, clock).owner("mail")).build();
    WorkRunner steps =
        journeys.registerWith(WorkRunner.builder(work, clock).owner("steps")).build();
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
    steps.runDue();

    // two hours late, the journey looks before the dispatcher: the deferral looks stranded and
    // the wait begins; then the dispatcher runs it, and the caps defer it to day 5
    clock.set(DAY_1.plus(Duration.ofHours(2)));
    steps.runDue();
    assertThat(journeys.enrolment(TENANT, e.id()).orElseThrow().state())
        .isEqualTo(EnrolmentState.WAITING);
    mail.runDue();
    assertThat(transport.sent()).isEmpty();

    // its timeout: the message has not gone out, so the wait is held again until it does
    clock.set(DAY_1.plus(Duration.ofDays(3)));
    steps.runDue();
    Enrolment held = journeys.enrolment(TENANT, e.id()).orElseThrow();
    assertThat(held.state()).isEqualTo(EnrolmentState.ACTIVE);
    assertThat(held.dueAt()).isEqualTo(day5);
    clock.set(day5);
    mail.runDue();
    steps.runDue();
    assertThat(journeys.enrolment(TENANT, e.id()).orElseThrow().dueAt())
        .isEqualTo(day5.plus(Duration.ofDays(3)));
    clock.set(day5.plus(Duration.ofDays(3)));
    steps.runDue();
    mail.runDue();
    assertThat(transport.sent())
        .extracting(m -> m.templateId() + " " + m.createdAt())
        .containsExactly("tpl-c " + START, "tpl-f " + day5.plus(Duration.ofDays(3)));
    assertThat(journeys.history(TENANT, e.id()))
        .extracting(HistoryEntry::outcome)
        .containsOnlyOnce(StepOutcome.TIMED_OUT);
  }
}
