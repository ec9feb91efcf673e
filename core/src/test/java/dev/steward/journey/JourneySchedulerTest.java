package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.schedule.WorkState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every step type run by the scheduler over virtual time with the manual driver. */
class JourneySchedulerTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  private static Step wait(String id, Duration d, String next) {
    return new Step.Wait(id, d, Optional.ofNullable(next));
  }

  private static JourneyDefinition basic() {
    return JourneyDefinition.builder("basic", 1)
        .step(send("a", "pause"))
        .step(wait("pause", Duration.ofDays(2), "b"))
        .step(send("b", null))
        .build();
  }

  @Test
  void sendWaitSendRunsAtTheRightTimesAndCompletes() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(basic()));
    ContactId c = kit.contact("ann", BERLIN, Map.of());

    EnrolResult r = kit.enrol(c, "basic");
    assertThat(r.enrolled()).isTrue();
    kit.runUntil(START.plus(Duration.ofDays(5)), HOUR);

    assertThat(kit.sends())
        .containsExactly("ann tpl-a 2026-03-02T09:00:00Z", "ann tpl-b 2026-03-04T09:00:00Z");
    Enrolment e = kit.only(c);
    assertThat(e.state()).isEqualTo(EnrolmentState.COMPLETED);
    assertThat(kit.outcomes(e))
        .containsExactly(
            StepOutcome.ENTERED, StepOutcome.SENT, StepOutcome.WAITING, StepOutcome.SENT);
    assertThat(kit.work.count(WorkState.READY)).isZero();
    Message first = kit.transport.sent().get(0);
    assertThat(first.source().journeyStep()).isEqualTo("basic/a");
    assertThat(first.source().team()).isEqualTo("csm");
    assertThat(first.idempotencyKey()).isEqualTo("journey:" + e.id() + ":0:a");
    assertThat(first.account().value()).isEqualTo("acct-ann");
    assertThat(first.recipientZone()).contains(BERLIN);
  }

  @Test
  void aRunThatCrashesAfterTheSendNeverSendsTwice() {
    AtomicInteger calls = new AtomicInteger();
    JourneyKit[] holder = new JourneyKit[1];
    JourneyKit kit =
        new JourneyKit(
            START,
            b ->
                b.journey(basic())
                    .sender(
                        m -> {
                          DispatchResult r = holder[0].dispatcher.dispatch(m);
                          if (calls.incrementAndGet() == 1) {
                            // the process dies after the send, before the journey moved on
                            throw new IllegalStateException("crash after the send");
                          }
                          return r;
                        }));
    holder[0] = kit;
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "basic");

    kit.runUntil(START.plus(Duration.ofDays(3)), Duration.ofMinutes(1));

    assertThat(calls.get()).as("the step ran again").isGreaterThanOrEqualTo(2);
    assertThat(kit.sends())
        .as("but tpl-a left once, and the wait counts from the planned time")
        .containsExactly("ann tpl-a 2026-03-02T09:00:00Z", "ann tpl-b 2026-03-04T09:00:00Z");
    Enrolment e = kit.only(c);
    assertThat(kit.store.history(TENANT, e.id()).get(1).detail()).contains("DUPLICATE");
  }

  @Test
  void gatesOutcomesAreRecordedAndTheJourneyGoesOn() {
    JourneyKit kit =
        new JourneyKit(
            START,
            b ->
                b.journey(basic())
                    .sender(
                        m ->
                            new DispatchResult(
                                m,
                                DispatchStatus.SUPPRESSED,
                                dev.steward.delivery.Decision.suppress(
                                    dev.steward.delivery.Reason.of(
                                        "consent",
                                        "opted-out",
                                        dev.steward.delivery.Outcome.SUPPRESS,
                                        "the contact opted out")),
                                null)));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "basic");
    kit.runUntil(START.plus(Duration.ofDays(3)), HOUR);

    Enrolment e = kit.only(c);
    assertThat(kit.outcomes(e))
        .containsExactly(
            StepOutcome.ENTERED,
            StepOutcome.SUPPRESSED,
            StepOutcome.WAITING,
            StepOutcome.SUPPRESSED);
    assertThat(kit.store.history(TENANT, e.id()).get(1).detail()).contains("opted-out");
  }

  @Test
  void aContactWithoutAnAddressFailsTheSendStepOnly() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(basic()));
    ContactId c = ContactId.of("nomail");
    kit.store.putContact(
        new ContactProfile(
            TENANT,
            c,
            dev.steward.model.AccountId.of("x"),
            Optional.empty(),
            Optional.of(BERLIN),
            Map.of()));
    kit.enrol(c, "basic");
    kit.runUntil(START.plus(Duration.ofDays(3)), HOUR);
    Enrolment e = kit.only(c);
    assertThat(kit.outcomes(e))
        .containsExactly(
            StepOutcome.ENTERED, StepOutcome.FAILED, StepOutcome.WAITING, StepOutcome.FAILED);
    assertThat(kit.store.history(TENANT, e.id()).get(1).detail()).contains("no 'to' address");
    assertThat(kit.transport.sent()).isEmpty();
  }

  @Test
  void waitUntilADateAttributeWithAnOffset() {
    JourneyDefinition renewal =
        JourneyDefinition.builder("renewal", 1)
            .step(
                new Step.WaitUntilDate(
                    "at-90", "renewal", -90, LocalTime.of(9, 0), Optional.of("report")))
            .step(send("report", null))
            .build();
    JourneyKit kit = new JourneyKit(START, b -> b.journey(renewal));
    java.time.ZoneId ny = java.time.ZoneId.of("America/New_York");
    ContactId soon = kit.contact("soon", ny, Map.of("renewal", "2026-09-30"));
    ContactId passed = kit.contact("passed", ny, Map.of("renewal", "2026-04-01"));
    ContactId none = kit.contact("none", ny, Map.of());
    ContactId bad = kit.contact("bad", ny, Map.of("renewal", "next spring"));
    kit.enrol(soon, "renewal");
    kit.enrol(passed, "renewal");
    kit.enrol(none, "renewal");
    kit.enrol(bad, "renewal");

    kit.runUntil(Instant.parse("2026-07-03T00:00:00Z"), HOUR);

    // 2026-09-30 - 90 days = 2026-07-02, 09:00 EDT = 13:00Z; a date already passed goes on at once
    assertThat(kit.sends())
        .containsExactly(
            "passed tpl-report 2026-03-02T09:00:00Z", "soon tpl-report 2026-07-02T13:00:00Z");
    assertThat(kit.only(none).exitReason()).contains("the contact has no 'renewal' date");
    assertThat(kit.only(bad).exitReason()).contains("'renewal' is not a date such as 2026-09-30");
  }

  private static JourneyDefinition waitForOpen() {
    return JourneyDefinition.builder("nudge", 1)
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
  }

  @Test
  void anOpenResumesTheWaitAndATimeoutTakesTheOtherPath() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(waitForOpen()));
    ContactId opener = kit.contact("opener", BERLIN, Map.of());
    ContactId clicker = kit.contact("clicker", BERLIN, Map.of());
    ContactId silent = kit.contact("silent", BERLIN, Map.of());
    kit.enrol(opener, "nudge");
    kit.enrol(clicker, "nudge");
    kit.enrol(silent, "nudge");
    kit.driver.runDue();
    Message toOpener = kit.sentTo(opener).get(0);
    Message toClicker = kit.sentTo(clicker).get(0);
    Message toSilent = kit.sentTo(silent).get(0);

    kit.driver.advance(Duration.ofHours(5));
    Instant t = kit.clock.instant();
    var listener = kit.scheduler.emailEventListener();
    listener.onEvents(
        List.of(
            JourneyKit.event("e1", EmailEventType.OPEN, toOpener, t),
            JourneyKit.event("e2", EmailEventType.CLICK, toClicker, t),
            // an event that is no open nor click changes nothing
            JourneyKit.event("e3", EmailEventType.DELIVERED, toSilent, t)));
    // the same events again (the ingestor runs at least once) change nothing more
    listener.onEvents(List.of(JourneyKit.event("e1", EmailEventType.OPEN, toOpener, t)));
    kit.runUntil(START.plus(Duration.ofDays(4)), HOUR);

    assertThat(kit.sends())
        .containsExactly(
            "opener tpl-critical 2026-03-02T09:00:00Z",
            "clicker tpl-critical 2026-03-02T09:00:00Z",
            "silent tpl-critical 2026-03-02T09:00:00Z",
            "opener tpl-thanks 2026-03-02T14:00:00Z",
            "clicker tpl-thanks 2026-03-02T14:00:00Z",
            "silent tpl-fallback 2026-03-05T09:00:00Z");
    assertThat(kit.outcomes(kit.only(opener)))
        .containsExactly(
            StepOutcome.ENTERED,
            StepOutcome.SENT,
            StepOutcome.WAITING_FOR_EVENT,
            StepOutcome.EVENT,
            StepOutcome.SENT);
    assertThat(kit.outcomes(kit.only(silent)))
        .containsExactly(
            StepOutcome.ENTERED,
            StepOutcome.SENT,
            StepOutcome.WAITING_FOR_EVENT,
            StepOutcome.TIMED_OUT,
            StepOutcome.SENT);
  }

  @Test
  void anOpenOfAnotherMessageOrAfterTheTimeoutDoesNotResume() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(waitForOpen()).journey(basic()));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "nudge");
    kit.driver.runDue();
    Message critical = kit.sentTo(c).get(0);
    Message other = critical.toBuilder().id(dev.steward.model.MessageId.of("j-other-0")).build();

    kit.scheduler
        .emailEventListener()
        .onEvents(
            List.of(
                JourneyKit.event("x1", EmailEventType.OPEN, other, kit.clock.instant()),
                // an open that happened after the wait ended, reported late
                JourneyKit.event(
                    "x2", EmailEventType.OPEN, critical, START.plus(Duration.ofDays(4)))));
    assertThat(kit.only(c).state()).isEqualTo(EnrolmentState.WAITING);
    kit.runUntil(START.plus(Duration.ofDays(4)), HOUR);
    assertThat(kit.sentTo(c))
        .extracting(Message::templateId)
        .containsExactly("tpl-critical", "tpl-fallback");
  }

  @Test
  void repliesAndCustomEventsResumeBySignal() {
    JourneyDefinition j =
        JourneyDefinition.builder("reply", 1)
            .step(send("ask", "replied?"))
            .step(
                new Step.WaitForEvent(
                    "replied?",
                    "replied",
                    Duration.ofDays(7),
                    Optional.of("thanks"),
                    Optional.empty()))
            .step(send("thanks", null))
            .build();
    JourneyKit kit = new JourneyKit(START, b -> b.journey(j));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "reply");
    kit.driver.runDue();

    assertThat(kit.scheduler.signal(TENANT, c, "custom:other")).isZero();
    kit.driver.advance(Duration.ofDays(1));
    assertThat(kit.scheduler.signal(TENANT, c, "Replied")).isEqualTo(1);
    assertThat(kit.scheduler.signal(TENANT, c, "replied")).isZero();
    kit.driver.runDue();

    assertThat(kit.sends())
        .containsExactly("ann tpl-ask 2026-03-02T09:00:00Z", "ann tpl-thanks 2026-03-03T09:00:00Z");
    assertThat(kit.only(c).state()).isEqualTo(EnrolmentState.COMPLETED);
  }

  @Test
  void branchUpdateAndExitSteps() {
    JourneyDefinition j =
        JourneyDefinition.builder("tiers", 1)
            .step(
                new Step.Branch(
                    "tier?",
                    List.of(
                        new Step.Case(
                            Condition.compare("seats", Condition.Op.GE, "100"), "enterprise"),
                        new Step.Case(Condition.eq("plan", "pro"), "pro")),
                    Optional.of("tag-free")))
            .step(send("enterprise", "tag-big"))
            .step(
                new Step.UpdateAttribute(
                    "tag-big", "segment", Optional.of("big"), Optional.empty()))
            .step(send("pro", "bye"))
            .step(new Step.Exit("bye", "pro users leave here"))
            .step(new Step.UpdateAttribute("tag-free", "trial", Optional.empty(), Optional.empty()))
            .build();
    JourneyKit kit = new JourneyKit(START, b -> b.journey(j));
    ContactId big = kit.contact("big", BERLIN, Map.of("seats", "250", "plan", "pro"));
    ContactId pro = kit.contact("pro", BERLIN, Map.of("seats", "20", "plan", "pro"));
    ContactId free = kit.contact("free", BERLIN, Map.of("plan", "free", "trial", "yes"));
    kit.enrol(big, "tiers");
    kit.enrol(pro, "tiers");
    kit.enrol(free, "tiers");
    kit.driver.runDue();

    assertThat(kit.sends())
        .containsExactly(
            "big tpl-enterprise 2026-03-02T09:00:00Z", "pro tpl-pro 2026-03-02T09:00:00Z");
    assertThat(kit.store.contact(TENANT, big).orElseThrow().attributes())
        .containsEntry("segment", "big");
    assertThat(kit.store.contact(TENANT, free).orElseThrow().attributes())
        .doesNotContainKey("trial");
    assertThat(kit.only(big).state()).isEqualTo(EnrolmentState.COMPLETED);
    assertThat(kit.only(pro).state()).isEqualTo(EnrolmentState.EXITED);
    assertThat(kit.only(pro).exitReason()).contains("pro users leave here");
    assertThat(kit.store.history(TENANT, kit.only(big).id()).get(1).detail()).contains("case 1");
  }

  @Test
  void exitCriteriaAreCheckedBeforeEveryStep() {
    JourneyDefinition j =
        JourneyDefinition.builder("basic", 1)
            .exitWhen("churned", Condition.eq("status", "churned"))
            .step(send("a", "pause"))
            .step(wait("pause", Duration.ofDays(2), "b"))
            .step(send("b", null))
            .build();
    JourneyKit kit = new JourneyKit(START, b -> b.journey(j));
    ContactId stays = kit.contact("stays", BERLIN, Map.of());
    ContactId churns = kit.contact("churns", BERLIN, Map.of());
    kit.enrol(stays, "basic");
    kit.enrol(churns, "basic");
    kit.driver.runDue();
    kit.driver.advance(Duration.ofDays(1));
    kit.scheduler.setAttribute(TENANT, churns, "status", Optional.of("churned"));
    kit.runUntil(START.plus(Duration.ofDays(3)), HOUR);

    assertThat(kit.sentTo(stays)).hasSize(2);
    assertThat(kit.sentTo(churns)).extracting(Message::templateId).containsExactly("tpl-a");
    Enrolment e = kit.only(churns);
    assertThat(e.state()).isEqualTo(EnrolmentState.EXITED);
    assertThat(e.exitReason()).contains("exit criterion 'churned'");
    assertThat(e.step()).isEqualTo("b");
    assertThat(e.updatedAt()).isEqualTo(Instant.parse("2026-03-04T09:00:00Z"));
  }

  @Test
  void reEntryRulesAndTheLimitOfJourneysAtOnce() {
    JourneyDefinition once = basic();
    JourneyDefinition monthly =
        JourneyDefinition.builder("monthly", 1)
            .reEntry(ReEntry.oncePerDays(30))
            .step(send("m", null))
            .build();
    JourneyDefinition any =
        JourneyDefinition.builder("any", 1).reEntry(ReEntry.always()).step(send("x", null)).build();
    JourneyKit kit =
        new JourneyKit(
            START, b -> b.journey(once).journey(monthly).journey(any).maxActiveJourneys(1));
    ContactId c = kit.contact("ann", BERLIN, Map.of());

    assertThat(kit.enrol(c, "basic").status()).isEqualTo(EnrolResult.Status.ENROLLED);
    assertThat(kit.enrol(c, "basic").status()).isEqualTo(EnrolResult.Status.ALREADY_ACTIVE);
    EnrolResult busy = kit.enrol(c, "monthly");
    assertThat(busy.status()).isEqualTo(EnrolResult.Status.TOO_MANY_JOURNEYS);
    assertThat(busy.reason()).isEqualTo("the contact is in 1 journeys; at most 1 at once");
    kit.runUntil(START.plus(Duration.ofDays(3)), HOUR);

    assertThat(kit.enrol(c, "basic").status()).isEqualTo(EnrolResult.Status.RE_ENTRY_REFUSED);
    assertThat(kit.enrol(c, "monthly").status()).isEqualTo(EnrolResult.Status.ENROLLED);
    kit.driver.runDue();
    kit.driver.advance(Duration.ofDays(29));
    assertThat(kit.enrol(c, "monthly").status()).isEqualTo(EnrolResult.Status.RE_ENTRY_REFUSED);
    kit.driver.advance(Duration.ofDays(1));
    assertThat(kit.enrol(c, "monthly").status()).isEqualTo(EnrolResult.Status.ENROLLED);
    kit.driver.runDue();
    assertThat(kit.enrol(c, "any").status()).isEqualTo(EnrolResult.Status.ENROLLED);
    kit.driver.runDue();
    assertThat(kit.enrol(c, "any").status()).isEqualTo(EnrolResult.Status.ENROLLED);
    kit.driver.runDue();
    assertThat(kit.sentTo(c))
        .extracting(Message::templateId)
        .containsExactly("tpl-a", "tpl-b", "tpl-m", "tpl-m", "tpl-x", "tpl-x");
  }

  /** A store whose first change recording an enrol step fails, as if the process died there. */
  private static JourneyStore failingOnceAfterEnrolling(
      JourneyStore delegate, AtomicInteger fails) {
    return (JourneyStore)
        java.lang.reflect.Proxy.newProxyInstance(
            JourneyStore.class.getClassLoader(),
            new Class<?>[] {JourneyStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("advance")
                  && ((HistoryEntry) args[1]).outcome() == StepOutcome.ENROLLED_ELSEWHERE
                  && fails.getAndIncrement() == 0) {
                throw new IllegalStateException("crash after the child's enrolment");
              }
              try {
                return method.invoke(delegate, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void enrolInAnotherJourneyHappensOnceEvenWhenTheStepRunsAgain() {
    JourneyDefinition parent =
        JourneyDefinition.builder("parent", 1)
            .step(new Step.EnrolIn("to-child", "child", Optional.of("p")))
            .step(send("p", null))
            .build();
    JourneyDefinition child =
        JourneyDefinition.builder("child", 1)
            .reEntry(ReEntry.always())
            .step(send("c", null))
            .build();
    AtomicInteger fails = new AtomicInteger();
    JourneyKit kit =
        new JourneyKit(
            dev.steward.testing.SettableClock.of(START),
            failingOnceAfterEnrolling(InMemoryJourneyStore.of(), fails),
            null,
            b -> b.journey(parent).journey(child));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "parent");
    kit.runUntil(START.plus(HOUR), Duration.ofMinutes(1));

    assertThat(fails.get()).as("the enrol step ran twice").isEqualTo(2);
    assertThat(kit.store.enrolments(TENANT, c))
        .as("one child, though the parent's step ran twice")
        .extracting(Enrolment::journey)
        .containsExactlyInAnyOrder("parent", "child");
    Enrolment p =
        kit.store.enrolments(TENANT, c).stream()
            .filter(e -> e.journey().equals("parent"))
            .findFirst()
            .orElseThrow();
    assertThat(kit.store.history(TENANT, p.id()).get(1).detail())
        .isEqualTo("child: ALREADY_ENROLLED (enrolment exists)");
    assertThat(kit.sentTo(c))
        .extracting(Message::templateId)
        .containsExactlyInAnyOrder("tpl-p", "tpl-c");
    assertThatThrownBy(
            () ->
                JourneyScheduler.builder(kit.clock, InMemoryJourneyStore.of(), kit.work)
                    .sender(m -> null)
                    .journey(parent)
                    .build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage(
            "journey 'parent' v1: step 'to-child' enrols in journey 'child', which is not"
                + " registered");
  }

  @Test
  void variantsAreChosenByWeightAndTheSameOnEveryRun() {
    JourneyDefinition ab =
        JourneyDefinition.builder("ab", 1)
            .step(
                new Step.Send(
                    "hello",
                    List.of(new Step.Variant("a", "tpl-a", 3), new Step.Variant("b", "tpl-b", 1)),
                    MessageKind.EDUCATIONAL,
                    "onboarding",
                    null,
                    null,
                    Optional.empty()))
            .build();
    JourneyKit kit = new JourneyKit(START, b -> b.journey(ab));
    for (int i = 0; i < 400; i++) {
      kit.enrol(kit.contact("c" + i, BERLIN, Map.of()), "ab");
    }
    kit.driver.runDue();
    long a = kit.transport.sent().stream().filter(m -> m.templateId().equals("tpl-a")).count();
    assertThat(kit.transport.sent()).hasSize(400);
    assertThat(a).isBetween(260L, 340L);
    Step.Send step = (Step.Send) ab.steps().get(0);
    for (Enrolment e : kit.store.enrolments(TENANT, ContactId.of("c7"))) {
      assertThat(JourneyScheduler.variant(e, step)).isEqualTo(JourneyScheduler.variant(e, step));
      assertThat(kit.sentTo(ContactId.of("c7")).get(0).templateId())
          .isEqualTo(JourneyScheduler.variant(e, step).templateId());
    }
  }

  @Test
  void enrolmentsStayOnTheVersionTheyEntered() {
    JourneyKit v1 = new JourneyKit(START, b -> b.journey(basic()));
    ContactId early = v1.contact("early", BERLIN, Map.of());
    v1.enrol(early, "basic");
    v1.driver.runDue();

    JourneyDefinition basic2 =
        JourneyDefinition.builder("basic", 2)
            .step(send("a2", "pause"))
            .step(wait("pause", Duration.ofDays(1), "b2"))
            .step(send("b2", null))
            .build();
    // a restart with both versions over the same stores
    JourneyKit v2 =
        new JourneyKit(v1.clock, v1.store, v1.work, b -> b.journey(basic()).journey(basic2));
    ContactId late = v2.contact("late", BERLIN, Map.of());
    v2.enrol(late, "basic");
    v2.runUntil(START.plus(Duration.ofDays(3)), HOUR);

    assertThat(v2.sends())
        .containsExactly(
            "late tpl-a2 2026-03-02T09:00:00Z",
            "late tpl-b2 2026-03-03T09:00:00Z",
            "early tpl-b 2026-03-04T09:00:00Z");
    assertThat(v2.only(early).version()).isEqualTo(1);
    assertThat(v2.only(late).version()).isEqualTo(2);
  }

  @Test
  void anEnrolmentWhoseVersionWasWithdrawnExitsVisiblyAndFreesItsContact() {
    JourneyKit v1 = new JourneyKit(START, b -> b.journey(basic()));
    ContactId c = v1.contact("ann", BERLIN, Map.of());
    v1.enrol(c, "basic");
    v1.driver.runDue();
    JourneyDefinition other =
        JourneyDefinition.builder("basic", 2)
            .reEntry(ReEntry.always())
            .step(send("z", null))
            .build();
    JourneyKit v2 = new JourneyKit(v1.clock, v1.store, v1.work, b -> b.journey(other));
    v2.runUntil(START.plus(Duration.ofDays(3)), HOUR);

    // the pause ended on day 2: the enrolment exits then, with the reason, instead of dying
    assertThat(v2.work.dead(10)).isEmpty();
    Enrolment e = v2.only(c);
    assertThat(e.state()).isEqualTo(EnrolmentState.EXITED);
    assertThat(e.exitReason())
        .contains("journey 'basic' version 1 was withdrawn (the newest registered is 2)");
    assertThat(e.updatedAt()).isEqualTo(START.plus(Duration.ofDays(2)));
    List<HistoryEntry> history = v2.store.history(TENANT, e.id());
    HistoryEntry last = history.get(history.size() - 1);
    assertThat(last.outcome()).isEqualTo(StepOutcome.EXITED);
    assertThat(last.step()).isEqualTo("b");
    assertThat(last.detail()).contains("version 1 was withdrawn");
    assertThat(v1.sends()).containsExactly("ann tpl-a 2026-03-02T09:00:00Z");
    assertThat(v2.sends()).isEmpty();
    // no longer in the journey: the contact may enter its current version
    assertThat(v2.enrol(c, "basic").enrolled()).isTrue();
  }

  @Test
  void erasingAContactCancelsItsJourneys() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(basic()));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    ContactId other = kit.contact("bob", BERLIN, Map.of());
    kit.enrol(c, "basic");
    kit.enrol(other, "basic");
    kit.driver.runDue();

    assertThat(kit.scheduler.eraseContact(TENANT, c)).isEqualTo(1);
    kit.runUntil(START.plus(Duration.ofDays(3)), HOUR);

    assertThat(kit.sentTo(c)).hasSize(1);
    assertThat(kit.sentTo(other)).hasSize(2);
    assertThat(kit.store.enrolments(TENANT, c)).isEmpty();
    assertThat(kit.store.contact(TENANT, c)).isEmpty();
  }

  @Test
  void badEnrolmentsAreRefusedBeforeAnythingIsWritten() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(basic()));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    assertThatThrownBy(() -> kit.enrol(c, "nope"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage("journey 'nope' is not registered with the scheduler");
    assertThatThrownBy(() -> kit.enrol(ContactId.of("ghost"), "basic"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessage("contact ghost of tenant t1 has no profile; put one first");
    assertThat(kit.store.enrolments(TENANT, c)).isEmpty();
    assertThat(kit.work.count(WorkState.READY)).isZero();
  }

  @Test
  void aStrandedEnrolmentGetsItsWorkBack() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(basic()));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "basic");
    // the process died between the enrolment and its work item
    kit.work.cancelSubject(TENANT, c.value());
    kit.driver.advance(Duration.ofMinutes(30));
    assertThat(kit.scheduler.sweepStranded(100)).isZero(); // not overdue long enough
    assertThat(kit.work.count(WorkState.READY)).isZero();
    kit.driver.advance(Duration.ofMinutes(31));
    assertThat(kit.scheduler.sweepStranded(100)).isEqualTo(1); // the one it looked at
    assertThat(kit.work.count(WorkState.READY)).isEqualTo(1);
    assertThat(kit.scheduler.sweepStranded(100)).isEqualTo(1); // looked at again, item kept
    assertThat(kit.work.count(WorkState.READY)).isEqualTo(1);
    kit.driver.runDue();
    assertThat(kit.sentTo(c)).hasSize(1);
  }

  @Test
  void anEventEnrolsInEveryJourneyItTriggers() {
    JourneyDefinition onboarding =
        JourneyDefinition.builder("welcome", 1)
            .trigger(new EntryTrigger.OnEvent("account-onboarded"))
            .step(send("w", null))
            .build();
    JourneyDefinition alsoOnboarded =
        JourneyDefinition.builder("kickoff", 1)
            .trigger(new EntryTrigger.Manual())
            .trigger(new EntryTrigger.OnEvent("Account-Onboarded"))
            .step(send("k", null))
            .build();
    JourneyKit kit =
        new JourneyKit(START, b -> b.journey(onboarding).journey(alsoOnboarded).journey(basic()));
    ContactId c = kit.contact("ann", BERLIN, Map.of());

    Map<String, EnrolResult> r = kit.scheduler.onEvent(TENANT, c, "account-onboarded");
    assertThat(r.keySet()).containsExactly("kickoff", "welcome");
    assertThat(r.values()).allMatch(EnrolResult::enrolled);
    assertThat(kit.scheduler.onEvent(TENANT, c, "usage-limit-reached")).isEmpty();
    assertThat(kit.scheduler.onEvent(TENANT, c, "account-onboarded").values())
        .extracting(EnrolResult::status)
        .containsOnly(EnrolResult.Status.ALREADY_ACTIVE);
    kit.driver.runDue();
    assertThat(kit.sentTo(c))
        .extracting(Message::templateId)
        .containsExactlyInAnyOrder("tpl-w", "tpl-k");
  }
}
