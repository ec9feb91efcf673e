package dev.steward.journey;

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
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Journey analytics fed by a real scheduler, dispatcher and provider events: what each step counts,
 * once per message however often its events come, and the funnel it reads as.
 */
class JourneyAnalyticsTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  /** Suppresses mail to cat; defers the tips mail of everyone by two hours, once. */
  private static final class Rules implements Gate {
    @Override
    public String name() {
      return "rules";
    }

    @Override
    public Decision evaluate(Message m, Instant now) {
      if (m.contact().value().equals("cat")) {
        return Decision.suppress(Reason.of("rules", "opted-out", Outcome.SUPPRESS, "opted out"));
      }
      if (m.templateId().equals("tpl-tips") && now.isBefore(m.createdAt().plusSeconds(7200))) {
        return Decision.defer(
            m.createdAt().plusSeconds(7200),
            List.of(Reason.of("rules", "quiet-hours", Outcome.DEFER, "quiet")));
      }
      return Decision.allow(Reason.of("rules", "ok", Outcome.ALLOW, "ok"));
    }
  }

  private final JourneyDefinition v1 =
      JourneyDefinition.builder("nudge", 1)
          .exitWhen("churned", Condition.eq("churned", "yes"))
          .step(send("welcome", "pause"))
          .step(new Step.Wait("pause", Duration.ofDays(1), Optional.of("tips")))
          .step(send("tips", null))
          .build();

  private SettableClock clock;
  private InMemoryJourneyStore store;
  private RecordingTransport transport;
  private JourneyAnalytics analytics;
  private JourneyScheduler journeys;
  private ManualWorkDriver driver;
  private AtomicInteger stepOfReads;

  @BeforeEach
  void wire() {
    clock = SettableClock.of(START);
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    transport = RecordingTransport.of();
    store = InMemoryJourneyStore.of();
    stepOfReads = new AtomicInteger();
    JourneyAnalyticsStore counted =
        new ForwardingJourneyAnalyticsStore(InMemoryJourneyAnalyticsStore.of()) {
          @Override
          public Optional<JourneyStepRef> stepOf(TenantId tenant, String messageId) {
            stepOfReads.incrementAndGet();
            return in.stepOf(tenant, messageId);
          }
        };
    analytics = JourneyAnalytics.builder(counted, clock).journeys(store).build();
    Dispatcher dispatcher =
        Dispatcher.builder(transport, clock)
            .workStore(work)
            .gate(new Rules())
            .listener(analytics.dispatchListener())
            .build();
    journeys =
        JourneyScheduler.builder(clock, store, work)
            .dispatcher(dispatcher)
            .journey(v1)
            .outcomeListener(analytics.outcomeListener())
            .build();
    driver =
        ManualWorkDriver.of(
            journeys.registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock))).build(),
            clock);
  }

  private ContactId contact(String id) {
    ContactId c = ContactId.of(id);
    journeys.putContact(
        new ContactProfile(
            TENANT,
            c,
            AccountId.of("acct-" + id),
            Optional.of(EmailAddress.of(id + "@example.com")),
            Optional.of(JourneyKit.BERLIN),
            Map.of()));
    return c;
  }

  private Message sent(String contact, String template) {
    return transport.sent().stream()
        .filter(m -> m.contact().value().equals(contact) && m.templateId().equals(template))
        .findFirst()
        .orElseThrow();
  }

  private static EmailEvent event(String id, EmailEventType type, Message m) {
    return JourneyKit.event(id, type, m, m.createdAt().plusSeconds(60));
  }

  private void runDays(int days) {
    driver.runDue();
    Instant end = clock.instant().plus(Duration.ofDays(days));
    while (clock.instant().isBefore(end)) {
      driver.advance(Duration.ofMinutes(30));
    }
  }

  @Test
  void aStepSkippedAfterItsDeadlineCountsAsSkippedForTheDeadlineAndIsNotSent() {
    JourneyDefinition late =
        JourneyDefinition.builder("late", 1)
            .step(send("hello", "pause"))
            .step(new Step.Wait("pause", Duration.ofDays(2), Optional.of("reminder")))
            .step(
                ((Step.Send) send("reminder", null))
                    .withDeadline(Deadline.fromDate("renewal_date", 0)))
            .build();
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    Dispatcher dispatcher = Dispatcher.builder(transport, clock).workStore(work).build();
    JourneyScheduler scheduler =
        JourneyScheduler.builder(clock, store, work)
            .dispatcher(dispatcher)
            .journey(late)
            .outcomeListener(analytics.outcomeListener())
            .build();
    ManualWorkDriver run =
        ManualWorkDriver.of(
            scheduler
                .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock)))
                .build(),
            clock);
    scheduler.putContact(
        new ContactProfile(
            TENANT,
            ContactId.of("eve"),
            AccountId.of("acct-eve"),
            Optional.of(EmailAddress.of("eve@example.com")),
            Optional.of(JourneyKit.BERLIN),
            Map.of("renewal_date", "2026-03-03")));
    scheduler.enrol(TENANT, ContactId.of("eve"), "late");
    run.runDue();
    for (int i = 0; i < 3 * 48; i++) {
      run.advance(Duration.ofMinutes(30));
    }

    StepFunnel reminder = analytics.funnel(TENANT, late).step("reminder").orElseThrow();
    assertThat(reminder.count(JourneyMetric.SKIPPED)).isEqualTo(1);
    assertThat(reminder.reasons(JourneyMetric.SKIPPED)).containsExactly(Map.entry("deadline", 1L));
    assertThat(reminder.count(JourneyMetric.SENT)).isZero();
    assertThat(transport.sent()).extracting(Message::templateId).containsExactly("tpl-hello");
  }

  @Test
  void eachStepCountsItsEntriesSendsDeferralsSkipsExitsAndEventsOncePerMessage() {
    for (String c : List.of("ann", "bob", "cat", "dan")) {
      journeys.enrol(TENANT, contact(c), "nudge");
    }
    driver.runDue();
    // dan churns before the tips step: he exits there by the criterion
    journeys.setAttribute(TENANT, ContactId.of("dan"), "churned", Optional.of("yes"));
    runDays(2);

    List<EmailEvent> batch =
        List.of(
            event("e1", EmailEventType.DELIVERED, sent("ann", "tpl-welcome")),
            event("e2", EmailEventType.OPEN, sent("ann", "tpl-welcome")),
            event("e3", EmailEventType.OPEN, sent("ann", "tpl-welcome")), // a second open
            event("e4", EmailEventType.CLICK, sent("ann", "tpl-welcome")),
            event("e5", EmailEventType.DELIVERED, sent("bob", "tpl-welcome")),
            event("e6", EmailEventType.CLICK, sent("bob", "tpl-welcome")), // no open event
            event("e7", EmailEventType.UNSUBSCRIBE, sent("bob", "tpl-welcome")),
            event("e8", EmailEventType.BOUNCE, sent("dan", "tpl-welcome")),
            event("e9", EmailEventType.PROCESSED, sent("ann", "tpl-tips")));
    analytics.emailEventListener().onEvents(batch);
    analytics.emailEventListener().onEvents(batch); // replayed after a crash
    analytics.emailEventListener().onEvents(batch.subList(1, 4)); // a part, again

    JourneyFunnel f = analytics.funnel(TENANT, v1);
    assertThat(f.steps()).extracting(StepFunnel::step).containsExactly("welcome", "tips");
    StepFunnel welcome = f.step("welcome").orElseThrow();
    assertThat(welcome.counts())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                JourneyMetric.ENTERED, 4L,
                JourneyMetric.SENT, 3L,
                JourneyMetric.SKIPPED, 1L,
                JourneyMetric.DELIVERED, 2L,
                JourneyMetric.OPENED, 2L,
                JourneyMetric.CLICKED, 2L,
                JourneyMetric.UNSUBSCRIBED, 1L,
                JourneyMetric.BOUNCED, 1L));
    assertThat(welcome.reasons(JourneyMetric.SKIPPED))
        .containsExactly(Map.entry("rules/opted-out", 1L));
    assertThat(welcome.reasons(JourneyMetric.BOUNCED)).containsExactly(Map.entry("bounce", 1L));
    assertThat(welcome.rate(JourneyMetric.OPENED)).hasValue(1.0);
    assertThat(welcome.rate(JourneyMetric.UNSUBSCRIBED)).hasValue(1.0 / 3);
    assertThat(welcome.rate(JourneyMetric.ENTERED)).isEmpty();

    // tips: ann and bob deferred by the rule, then sent by the dispatcher when it allowed; dan
    // exited there, by his criterion
    StepFunnel tips = f.step("tips").orElseThrow();
    assertThat(transport.sent())
        .extracting(Message::templateId)
        .filteredOn("tpl-tips"::equals)
        .hasSize(2);
    assertThat(tips.count(JourneyMetric.DEFERRED)).isEqualTo(2);
    assertThat(tips.reasons(JourneyMetric.DEFERRED))
        .containsExactly(Map.entry("rules/quiet-hours", 2L));
    assertThat(tips.count(JourneyMetric.SENT)).isEqualTo(2);
    assertThat(tips.count(JourneyMetric.EXITED)).isEqualTo(1);
    assertThat(tips.reasons(JourneyMetric.EXITED)).containsExactly(Map.entry("churned", 1L));
    assertThat(f.total(JourneyMetric.ENTERED)).isEqualTo(4);
  }

  /**
   * A step's own send is placed at the step without asking the store for the message's step (none
   * is stored before its first dispatch); the same message dispatched again later, deferred, is
   * placed by what the store kept of it, at the step that sent it.
   */
  @Test
  void aStepsOwnSendIsPlacedWithoutAStoreReadAndItsDeferredSendByTheStoresMark() {
    journeys.enrol(TENANT, contact("ann"), "nudge");
    driver.runDue();

    assertThat(transport.sent()).extracting(Message::templateId).containsExactly("tpl-welcome");
    assertThat(analytics.funnel(TENANT, v1).step("welcome").orElseThrow().count(JourneyMetric.SENT))
        .isEqualTo(1);
    assertThat(stepOfReads).as("reads of a message's step while the step sent it").hasValue(0);

    runDays(2); // tips: deferred by two hours in its step, sent later by the dispatcher's work

    StepFunnel tips = analytics.funnel(TENANT, v1).step("tips").orElseThrow();
    assertThat(tips.count(JourneyMetric.DEFERRED)).isEqualTo(1);
    assertThat(tips.count(JourneyMetric.SENT)).isEqualTo(1);
    assertThat(stepOfReads).as("the deferred message's later dispatch").hasValue(1);
  }

  @Test
  void anEventForAMessageNeverCountedFindsItsVersionByTheEnrolmentItsIdNames() {
    // analytics wired to the ingestor only: the sends were never counted here
    JourneyAnalytics late =
        JourneyAnalytics.builder(InMemoryJourneyAnalyticsStore.of(), clock).journeys(store).build();
    journeys.enrol(TENANT, contact("ann"), "nudge");
    journeys.enrol(TENANT, contact("bob"), "nudge");
    driver.runDue();
    Message ann = sent("ann", "tpl-welcome");
    Message bob = sent("bob", "tpl-welcome");

    EmailEvent withAttribute =
        EmailEvent.builder("e1", EmailEventType.OPEN, START)
            .email(ann.to())
            .message(ann.id())
            .tenant(TENANT)
            .attribute(JourneyAnalytics.JOURNEY_STEP_ATTRIBUTE, "nudge/welcome")
            .build();
    // without the attribute, the enrolment's history names the step
    EmailEvent without = event("e2", EmailEventType.OPEN, bob);
    EmailEvent foreign =
        EmailEvent.builder("e3", EmailEventType.OPEN, START)
            .email("x@example.com")
            .message(dev.steward.model.MessageId.of("j-nobody-0"))
            .tenant(TENANT)
            .build();
    late.emailEventListener().onEvents(List.of(withAttribute, without, foreign));

    assertThat(
            late.funnel(TENANT, "nudge", 1)
                .step("welcome")
                .orElseThrow()
                .count(JourneyMetric.OPENED))
        .isEqualTo(2);
    assertThat(late.store().stepOf(TENANT, ann.id().value()))
        .contains(new JourneyStepRef("nudge", 1, "welcome"));
  }

  @Test
  void goalsAndRepliesAreCountedOncePerEnrolmentAndMessage() {
    Enrolment e = journeys.enrol(TENANT, contact("ann"), "nudge").enrolment().orElseThrow();
    driver.runDue();
    Message welcome = sent("ann", "tpl-welcome");

    assertThat(analytics.replied(TENANT, welcome.id(), START)).isTrue();
    assertThat(analytics.replied(TENANT, welcome.id(), START)).isFalse();
    assertThat(analytics.goalReached(TENANT, e.id(), "activated")).isTrue();
    assertThat(analytics.goalReached(TENANT, e.id(), "activated")).isFalse();

    JourneyFunnel f = analytics.funnel(TENANT, v1);
    assertThat(f.step("welcome").orElseThrow().count(JourneyMetric.REPLIED)).isEqualTo(1);
    // the goal is counted at the step the enrolment is at: tips, due after the pause
    assertThat(f.step("tips").orElseThrow().reasons(JourneyMetric.GOAL_REACHED))
        .containsExactly(Map.entry("activated", 1L));
    assertThat(f.goalRate()).hasValue(1.0);
    assertThatThrownBy(() -> analytics.goalReached(TENANT, "no-such", "activated"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("no-such");
    assertThatThrownBy(() -> analytics.goalReached(TENANT, e.id(), " "))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("needs a name");
  }

  @Test
  void theRecurringPurgeForgetsMarksPastTheirRetentionAndKeepsTheCounts() {
    InMemoryJourneyAnalyticsStore counts = InMemoryJourneyAnalyticsStore.of();
    JourneyAnalytics kept =
        JourneyAnalytics.builder(counts, clock).keepMarks(Duration.ofDays(2)).build();
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    ManualWorkDriver purge =
        ManualWorkDriver.of(kept.registerPurge(WorkRunner.builder(work, clock)).build(), clock);
    JourneyStepRef at = new JourneyStepRef("nudge", 1, "welcome");
    counts.record(JourneyFact.of(TENANT, "j-e1-0", at, JourneyMetric.SENT, START));

    purge.advance(Duration.ofDays(1));
    assertThat(counts.stepOf(TENANT, "j-e1-0")).contains(at);
    purge.advance(Duration.ofDays(2)); // the daily purge after the mark turned two days old
    assertThat(counts.stepOf(TENANT, "j-e1-0")).isEmpty();
    assertThat(kept.funnel(TENANT, v1).step("welcome").orElseThrow().count(JourneyMetric.SENT))
        .isEqualTo(1);
    assertThatThrownBy(() -> JourneyAnalytics.builder(counts, clock).keepMarks(Duration.ofHours(1)))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("at least a day");
  }

  @Test
  void aListenerThatThrowsChangesNothingInTheJourney() {
    List<String> seen = new ArrayList<>();
    JourneyScheduler s =
        JourneyScheduler.builder(clock, InMemoryJourneyStore.of(), InMemoryWorkStore.of(clock))
            .sender(
                m -> {
                  throw new AssertionError("not sent in this test");
                })
            .journey(v1)
            .outcomeListener(
                (d, e, h) -> {
                  seen.add(h.outcome() + " " + d.map(JourneyDefinition::version).orElse(0));
                  throw new IllegalStateException("listener down");
                })
            .build();
    s.putContact(
        new ContactProfile(
            TENANT,
            ContactId.of("ann"),
            AccountId.of("a"),
            Optional.of(EmailAddress.of("ann@example.com")),
            Optional.empty(),
            Map.of()));
    assertThat(s.enrol(TENANT, ContactId.of("ann"), "nudge").status())
        .isEqualTo(EnrolResult.Status.ENROLLED);
    assertThat(seen).containsExactly("ENTERED 1");
  }
}
