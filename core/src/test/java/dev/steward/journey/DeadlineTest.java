package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A send or task step carries a deadline; reached or deferred past it, it is skipped. */
class DeadlineTest {
  private static final Instant START = Instant.parse("2027-03-01T08:00:00Z");

  private static Step.Send send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.RELATIONSHIP, "renewal", next);
  }

  /** 7 days before renewal, 09:00: a reminder that is noise once the renewal date has begun. */
  private static JourneyDefinition renewal() {
    return JourneyDefinition.builder("renewal", 1)
        .step(
            new Step.WaitUntilDate("t-7", "renewal_date", -7, LocalTime.of(9, 0), Optional.of("r")))
        .step(send("r", "after").withDeadline(Deadline.fromDate("renewal_date", 0)))
        .step(send("after", null))
        .build();
  }

  @Test
  void aSendReachedAfterItsDateDeadlineIsSkippedWithTheReasonAndTheJourneyGoesOn() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(renewal()));
    // renewal already on 2027-02-25: the -7 wait has passed, the reminder is reached too late
    ContactId late = kit.contact("late", BERLIN, Map.of("renewal_date", "2027-02-25"));
    // renewal on 2027-03-05: the -7 wait has passed too, but the deadline (03-05 00:00) has not
    ContactId inTime = kit.contact("intime", BERLIN, Map.of("renewal_date", "2027-03-05"));
    kit.enrol(late, "renewal");
    kit.enrol(inTime, "renewal");
    kit.driver.runDue();

    assertThat(kit.sentTo(late)).extracting(Message::templateId).containsExactly("tpl-after");
    assertThat(kit.sentTo(inTime))
        .extracting(Message::templateId)
        .containsExactly("tpl-r", "tpl-after");
    Enrolment e = kit.only(late);
    assertThat(e.state()).isEqualTo(EnrolmentState.COMPLETED);
    HistoryEntry skipped =
        kit.store.history(TENANT, e.id()).stream()
            .filter(h -> h.outcome() == StepOutcome.SKIPPED)
            .findFirst()
            .orElseThrow();
    assertThat(skipped.step()).isEqualTo("r");
    // the deadline is the renewal day's start in Berlin (CET, UTC+1)
    assertThat(skipped.detail())
        .contains("after its deadline 2027-02-24T23:00:00Z")
        .contains("renewal_date +0 days at 00:00");
  }

  @Test
  void aSendReachedAfterItsEntryDeadlineIsSkipped() {
    JourneyDefinition d =
        JourneyDefinition.builder("nudge", 1)
            .step(
                new Step.WaitForEvent(
                    "replied?",
                    Step.REPLIED,
                    Duration.ofDays(10),
                    Optional.of("thanks"),
                    Optional.of("chase")))
            .step(send("thanks", null).withDeadline(Deadline.afterEntry(Duration.ofDays(5))))
            .step(send("chase", "last").withDeadline(Deadline.afterEntry(Duration.ofDays(5))))
            .step(send("last", null))
            .build();
    JourneyKit kit = new JourneyKit(START, b -> b.journey(d));
    ContactId quick = kit.contact("quick", BERLIN, Map.of());
    ContactId silent = kit.contact("silent", BERLIN, Map.of());
    kit.enrol(quick, "nudge");
    kit.enrol(silent, "nudge");
    kit.driver.runDue();
    kit.driver.advance(Duration.ofDays(1));
    kit.scheduler.signal(TENANT, quick, "replied");
    kit.runUntil(START.plus(Duration.ofDays(11)), Duration.ofHours(1));

    assertThat(kit.sentTo(quick)).extracting(Message::templateId).containsExactly("tpl-thanks");
    // timed out on day 10, after the chase's 5-day deadline: skipped, then the last send
    assertThat(kit.sentTo(silent)).extracting(Message::templateId).containsExactly("tpl-last");
    assertThat(kit.outcomes(kit.only(silent)))
        .containsExactly(
            StepOutcome.ENTERED,
            StepOutcome.WAITING_FOR_EVENT,
            StepOutcome.TIMED_OUT,
            StepOutcome.SKIPPED,
            StepOutcome.SENT);
  }

  @Test
  void aTaskReachedAfterItsDeadlineIsNotCreatedAndTheJourneyTakesItsOverduePath() {
    JourneyDefinition d =
        JourneyDefinition.builder("csm", 1)
            .step(
                new Step.WaitUntilDate(
                    "t-60", "renewal_date", -60, LocalTime.of(9, 0), Optional.of("call")))
            .step(
                new Step.HumanTask(
                        "call",
                        "csm-call",
                        Optional.empty(),
                        null,
                        Duration.ofDays(3),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("fallback"))
                    .withDeadline(Deadline.fromDate("renewal_date", -30)))
            .step(send("fallback", null))
            .build();
    JourneyKit kit = new JourneyKit(START, b -> b.journey(d));
    ContactId c = kit.contact("ann", BERLIN, Map.of("renewal_date", "2027-03-20", "csm", "bob"));
    kit.enrol(c, "csm");
    kit.driver.runDue();

    assertThat(kit.scheduler.openTasks(TENANT, c)).isEmpty();
    assertThat(kit.sentTo(c)).extracting(Message::templateId).containsExactly("tpl-fallback");
    assertThat(kit.outcomes(kit.only(c))).contains(StepOutcome.SKIPPED);
  }

  /** Defers every message of the template until a fixed time. */
  private record DeferUntil(Instant until) implements Gate {
    @Override
    public String name() {
      return "cap";
    }

    @Override
    public Decision evaluate(Message m, Instant now) {
      if (!now.isBefore(until)) {
        return Decision.allow(Reason.of("cap", "ok", Outcome.ALLOW, "room"));
      }
      return Decision.defer(until, List.of(Reason.of("cap", "full", Outcome.DEFER, "cap full")));
    }
  }

  private record Wired(
      SettableClock clock,
      JourneyScheduler journeys,
      Dispatcher dispatcher,
      RecordingTransport transport,
      ManualWorkDriver driver) {}

  private static Wired wired(Instant deferredUntil) {
    SettableClock clock = SettableClock.of(START);
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    RecordingTransport transport = RecordingTransport.of();
    Dispatcher dispatcher =
        Dispatcher.builder(transport, clock)
            .workStore(work)
            .gate(new DeferUntil(deferredUntil))
            .build();
    JourneyDefinition d =
        JourneyDefinition.builder("promo", 1)
            .step(send("offer", null).withDeadline(Deadline.afterEntry(Duration.ofDays(2))))
            .build();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, InMemoryJourneyStore.of(), work)
            .dispatcher(dispatcher)
            .journey(d)
            .build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(
            journeys.registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock))).build(),
            clock);
    journeys.putContact(
        new ContactProfile(
            TENANT,
            ContactId.of("ann"),
            AccountId.of("acct"),
            Optional.of(EmailAddress.of("ann@example.com")),
            Optional.of(BERLIN),
            Map.of()));
    return new Wired(clock, journeys, dispatcher, transport, driver);
  }

  @Test
  void aSendTheCapsDeferPastItsDeadlineIsTakenBackAndSkipped() {
    Wired w = wired(START.plus(Duration.ofDays(3)));
    Enrolment e =
        w.journeys().enrol(TENANT, ContactId.of("ann"), "promo").enrolment().orElseThrow();
    w.driver().runDue();

    MessageId id = MessageId.of("j-" + e.id() + "-0");
    assertThat(w.dispatcher().deferred(TENANT, id)).isEmpty();
    List<HistoryEntry> h = w.journeys().history(TENANT, e.id());
    assertThat(h.get(h.size() - 1).outcome()).isEqualTo(StepOutcome.SKIPPED);
    assertThat(h.get(h.size() - 1).detail())
        .contains("deferred until " + START.plus(Duration.ofDays(3)))
        .contains("after its deadline " + START.plus(Duration.ofDays(2)));
    w.driver().advance(Duration.ofDays(4));
    assertThat(w.transport().sent()).isEmpty();
  }

  @Test
  void aSendTheCapsDeferWithinItsDeadlineStaysDeferredAndGoesOut() {
    Wired w = wired(START.plus(Duration.ofDays(1)));
    Enrolment e =
        w.journeys().enrol(TENANT, ContactId.of("ann"), "promo").enrolment().orElseThrow();
    w.driver().runDue();

    assertThat(w.dispatcher().deferred(TENANT, MessageId.of("j-" + e.id() + "-0"))).isPresent();
    assertThat(w.journeys().history(TENANT, e.id()))
        .extracting(HistoryEntry::outcome)
        .contains(StepOutcome.DEFERRED)
        .doesNotContain(StepOutcome.SKIPPED);
    w.driver().advance(Duration.ofDays(1));
    assertThat(w.transport().sent()).hasSize(1);
  }

  /** Defers every message until {@code first}, and once there until {@code second}. */
  private record DeferTwice(Instant first, Instant second) implements Gate {
    @Override
    public String name() {
      return "cap";
    }

    @Override
    public Decision evaluate(Message m, Instant now) {
      Instant until = now.isBefore(first) ? first : second;
      if (!now.isBefore(until)) {
        return Decision.allow(Reason.of("cap", "ok", Outcome.ALLOW, "room"));
      }
      return Decision.defer(until, List.of(Reason.of("cap", "full", Outcome.DEFER, "cap full")));
    }
  }

  @Test
  void aSendTheCapsDeferAgainPastItsDeadlineIsDroppedAndTheStepRecordedAsSkipped() {
    SettableClock clock = SettableClock.of(START);
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    InMemoryJourneyStore store = InMemoryJourneyStore.of();
    JourneyAnalytics analytics =
        JourneyAnalytics.builder(InMemoryJourneyAnalyticsStore.of(), clock).journeys(store).build();
    RecordingTransport transport = RecordingTransport.of();
    // first to day 1 (within the 2-day deadline), then, when due, to day 3 (past it)
    Dispatcher dispatcher =
        Dispatcher.builder(transport, clock)
            .workStore(work)
            .gate(new DeferTwice(START.plus(Duration.ofDays(1)), START.plus(Duration.ofDays(3))))
            .listener(analytics.dispatchListener())
            .listener(JourneyScheduler.deferredSendHistory(store, clock))
            .build();
    JourneyDefinition d =
        JourneyDefinition.builder("renew", 1)
            .step(send("offer", "pause").withDeadline(Deadline.afterEntry(Duration.ofDays(2))))
            .step(new Step.Wait("pause", Duration.ofDays(10), Optional.of("after")))
            .step(send("after", null))
            .build();
    JourneyScheduler journeys =
        JourneyScheduler.builder(clock, store, work)
            .dispatcher(dispatcher)
            .journey(d)
            .outcomeListener(analytics.outcomeListener())
            .build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(
            journeys.registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock))).build(),
            clock);
    journeys.putContact(
        new ContactProfile(
            TENANT,
            ContactId.of("ann"),
            AccountId.of("acct"),
            Optional.of(EmailAddress.of("ann@example.com")),
            Optional.of(BERLIN),
            Map.of()));
    Enrolment e = journeys.enrol(TENANT, ContactId.of("ann"), "renew").enrolment().orElseThrow();
    driver.runDue();
    MessageId id = MessageId.of("j-" + e.id() + "-0");
    assertThat(dispatcher.deferred(TENANT, id).orElseThrow().message().sendBy())
        .contains(START.plus(Duration.ofDays(2)));

    driver.advance(Duration.ofDays(1)); // due again; the caps would defer it to day 3
    assertThat(dispatcher.deferred(TENANT, id)).isEmpty();
    driver.advance(Duration.ofDays(3));
    assertThat(transport.sent()).isEmpty();
    List<HistoryEntry> h = journeys.history(TENANT, e.id());
    assertThat(h)
        .extracting(HistoryEntry::outcome)
        .containsExactly(
            StepOutcome.ENTERED, StepOutcome.DEFERRED, StepOutcome.WAITING, StepOutcome.SKIPPED);
    HistoryEntry skipped = h.get(3);
    assertThat(skipped.step()).isEqualTo("offer");
    assertThat(skipped.detail())
        .contains("message " + id)
        .contains("deferred until " + START.plus(Duration.ofDays(3)))
        .contains("after its send-by " + START.plus(Duration.ofDays(2)));
    StepFunnel offer = analytics.funnel(TENANT, d).step("offer").orElseThrow();
    assertThat(offer.count(JourneyMetric.DEFERRED)).isEqualTo(1);
    assertThat(offer.reasons(JourneyMetric.SKIPPED)).containsExactly(Map.entry("deadline", 1L));
    // and the journey goes on: the step after the wait is sent when due
    driver.advance(Duration.ofDays(7));
    assertThat(transport.sent()).extracting(Message::templateId).containsExactly("tpl-after");
    assertThat(journeys.enrolment(TENANT, e.id()).orElseThrow().state())
        .isEqualTo(EnrolmentState.COMPLETED);
  }

  @Test
  void aDeadlineBeforeTheStepCanBeReachedIsRefusedNamingTheStep() {
    // three days of waiting come first: a deadline two days after entry can never be met
    assertThatThrownBy(
            () ->
                JourneyDefinition.builder("j", 1)
                    .step(new Step.Wait("pause", Duration.ofDays(3), Optional.of("s")))
                    .step(send("s", null).withDeadline(Deadline.afterEntry(Duration.ofDays(2))))
                    .build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("step 's' has the deadline PT48H after entry")
        .hasMessageContaining("cannot be reached before PT72H");
    // the shortest path counts: a branch around the pause makes it reachable at once
    JourneyDefinition ok =
        JourneyDefinition.builder("j", 1)
            .step(
                new Step.Branch(
                    "b",
                    List.of(new Step.Case(Condition.exists("vip"), "s")),
                    Optional.of("pause")))
            .step(new Step.Wait("pause", Duration.ofDays(3), Optional.of("s")))
            .step(send("s", null).withDeadline(Deadline.afterEntry(Duration.ofDays(2))))
            .build();
    assertThat(ok.step("s").flatMap(Step::deadline)).isPresent();
    // on a date: every path waits until renewal -7 at 09:00, after a deadline of renewal -14
    assertThatThrownBy(
            () ->
                JourneyDefinition.builder("j", 1)
                    .step(
                        new Step.WaitUntilDate(
                            "t-7", "renewal_date", -7, LocalTime.of(9, 0), Optional.of("s")))
                    .step(send("s", null).withDeadline(Deadline.fromDate("renewal_date", -14)))
                    .build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("step 's' has the deadline renewal_date -14 days at 00:00")
        .hasMessageContaining("first waits until renewal_date -7 days at 09:00");
    // a wait on another attribute says nothing about this one
    JourneyDefinition other =
        JourneyDefinition.builder("j", 1)
            .step(
                new Step.WaitUntilDate(
                    "t-7", "trial_end", -7, LocalTime.of(9, 0), Optional.of("s")))
            .step(send("s", null).withDeadline(Deadline.fromDate("renewal_date", -14)))
            .build();
    assertThat(other.steps()).hasSize(2);
    assertThatThrownBy(() -> Deadline.afterEntry(Duration.ZERO))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("more than 0");
  }

  @Test
  void deadlinesRoundTripThroughJsonAndBadOnesAreRefusedByPath() {
    JourneyDefinition d = renewal();
    assertThat(JourneyDefinition.fromJson(d.toJson())).isEqualTo(d);
    assertThat(d.toJson()).contains("\"deadline\"");
    String compact = d.toJson().replaceAll("\\s+", ""); // no text of this journey has spaces
    String json =
        compact.replace("\"deadline\":{", "\"deadline\":{\"afterEntry\":\"P1D\",\"x\":1,");
    assertThatThrownBy(() -> JourneyDefinition.fromJson(json))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("steps[1] (step 'r').deadline");
    String early =
        compact.replace(
            "\"offsetDays\":0,\"time\":\"00:00\"", "\"offsetDays\":-8,\"time\":\"00:00\"");
    assertThatThrownBy(() -> JourneyDefinition.fromJson(early))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("step 'r' has the deadline renewal_date -8 days");
  }
}
