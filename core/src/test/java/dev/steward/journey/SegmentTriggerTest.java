package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkItem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Segment entry triggers: a predicate over attributes and event counts, entered when a contact
 * starts to match, re-evaluated on attribute changes, events and a schedule.
 */
class SegmentTriggerTest {
  static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  static final Duration HOUR = Duration.ofHours(1);

  /** A journey of one send, entered on the segment, by the given re-entry rule. */
  static JourneyDefinition oneSend(String id, Segment when, ReEntry reEntry) {
    return JourneyDefinition.builder(id, 1)
        .trigger(new EntryTrigger.InSegment(when))
        .reEntry(reEntry)
        .step(Step.Send.of("hello", "tpl-" + id, MessageKind.RELATIONSHIP, "csm", null))
        .build();
  }

  static final Segment PRO = Segment.where(Condition.eq("plan", "pro"));

  @Test
  void entersWhenItStartsToMatchNotWhileItKeepsMatchingAndAgainAfterLeaving() {
    TriggerKit kit = new TriggerKit(START, List.of(oneSend("pro", PRO, ReEntry.always())));
    ContactId ann = kit.contact("ann", BERLIN, Map.of("plan", "free"));
    assertThat(kit.enrolments(ann)).isEmpty();

    kit.set(ann, "plan", "pro");
    assertThat(kit.enrolments(ann)).hasSize(1);
    kit.set(ann, "seats", "12"); // still matching: no second entry
    kit.triggers.evaluate(TENANT, ann);
    kit.runUntil(START.plus(HOUR), HOUR);
    kit.set(ann, "seats", "13");
    assertThat(kit.enrolments(ann)).hasSize(1);
    assertThat(kit.triggerStore.membership(TENANT, ann, "pro").orElseThrow().generation())
        .isEqualTo(1);

    kit.set(ann, "plan", "free"); // leaves
    assertThat(kit.triggerStore.membership(TENANT, ann, "pro").orElseThrow().member()).isFalse();
    kit.set(ann, "plan", "pro"); // enters again; the first enrolment has completed
    assertThat(kit.enrolments(ann)).hasSize(2);
    kit.runUntil(START.plus(Duration.ofHours(2)), HOUR);
    assertThat(kit.timeline(ann)).hasSize(2);
  }

  @Test
  void reEntryRuleAppliesAndTheRefusalIsNotRetriedWhileMatching() {
    TriggerKit kit = new TriggerKit(START, List.of(oneSend("pro", PRO, ReEntry.onceEver())));
    ContactId ann = kit.contact("ann", BERLIN, Map.of("plan", "pro"));
    kit.runUntil(START.plus(HOUR), HOUR);
    kit.set(ann, "plan", "free");
    kit.set(ann, "plan", "pro");
    assertThat(kit.enrolments(ann)).hasSize(1);
    SegmentMembership m = kit.triggerStore.membership(TENANT, ann, "pro").orElseThrow();
    assertThat(m.member()).isTrue();
    assertThat(m.generation()).isEqualTo(2); // entered the segment twice, the journey once
  }

  @Test
  void aCrashBetweenTheEnrolmentAndTheMembershipEnrolsOnce() {
    AtomicBoolean failOnce = new AtomicBoolean(true);
    TriggerStore flaky =
        new DelegatingTriggerStore(InMemoryTriggerStore.of()) {
          @Override
          public boolean replaceMembership(
              Optional<SegmentMembership> expected, SegmentMembership next) {
            if (next.member() && failOnce.getAndSet(false)) {
              throw new IllegalStateException("the database went away");
            }
            return super.replaceMembership(expected, next);
          }
        };
    TriggerKit kit =
        new TriggerKit(
            dev.steward.testing.SettableClock.of(START),
            InMemoryJourneyStore.of(),
            flaky,
            null,
            dev.steward.testing.RecordingTransport.of(),
            List.of(oneSend("pro", PRO, ReEntry.always())),
            t -> t,
            "kit");
    ContactId ann = kit.contact("ann", BERLIN, Map.of("plan", "pro")); // enrols, then fails
    assertThat(kit.enrolments(ann)).hasSize(1);
    assertThat(kit.triggerStore.membership(TENANT, ann, "pro")).isEmpty();

    Map<String, EnrolResult> again = kit.triggers.evaluate(TENANT, ann);
    assertThat(again.get("pro").status()).isEqualTo(EnrolResult.Status.ALREADY_ENROLLED);
    assertThat(kit.enrolments(ann)).hasSize(1);
    assertThat(kit.triggerStore.membership(TENANT, ann, "pro").orElseThrow().member()).isTrue();
  }

  @Test
  void eventCountsAreReevaluatedOnTheScheduleOncePerPeriodAcrossInstances() {
    // re-engagement: no login in 14 days, after at least one in 60
    Segment lapsed =
        Segment.and(
            Segment.none("login", Duration.ofDays(14)),
            Segment.atLeast(1, "login", Duration.ofDays(60)));
    JourneyDefinition d = oneSend("lapsed", lapsed, ReEntry.always());
    TriggerKit one = new TriggerKit(START, List.of(d));
    TriggerKit two = one.twin(List.of(d), t -> t);
    ContactId ann = one.contact("ann", BERLIN, Map.of());
    ContactId ben = one.contact("ben", BERLIN, Map.of());
    one.triggers.recordEvent(TENANT, ann, "l-1", "login", START);
    one.triggers.recordEvent(TENANT, ben, "l-2", "login", START);
    assertThat(one.enrolments(ann)).isEmpty();
    Instant dayTen = START.plus(Duration.ofDays(10));
    one.clock.set(dayTen);
    two.triggers.recordEvent(TENANT, ben, "l-3", "login", dayTen); // ben goes on logging in

    // both instances run their due work every hour for 20 days: the daily pass runs once a day
    for (Instant t = START; t.isBefore(START.plus(Duration.ofDays(20))); t = t.plus(HOUR)) {
      one.driver.advanceTo(t.isBefore(dayTen) ? dayTen : t);
      two.driver.runDue();
    }
    assertThat(one.enrolments(ann)).hasSize(1);
    // the 14 days ran out on 16 March at 09:00; the pass at 09:00 found it
    assertThat(one.enrolments(ann).get(0).enteredAt())
        .isEqualTo(Instant.parse("2026-03-16T09:00:00Z"));
    assertThat(one.enrolments(ben)).isEmpty();
    assertThat(one.timeline(ann)).hasSize(1);
    WorkItem pass = one.work.find(JourneyTriggers.sweepKey()).orElseThrow();
    assertThat(pass.dueAt()).isEqualTo(Instant.parse("2026-03-22T09:00:00Z"));
  }

  @Test
  void theScheduledPassGoesPageByPageAndResumesFromItsPageAfterAFailure() {
    Segment quiet = Segment.none("login", Duration.ofDays(7));
    JourneyDefinition d = oneSend("quiet", quiet, ReEntry.always());
    List<String> pages = new java.util.ArrayList<>();
    AtomicBoolean failThirdPage = new AtomicBoolean(true);
    // the pass goes over every profile (review14t: not only those with a membership)
    JourneyStore counting =
        new DelegatingJourneyStore(InMemoryJourneyStore.of()) {
          @Override
          public List<ContactProfile> contacts(Optional<ContactProfile> after, int max) {
            String from = after.map(m -> m.contact().value()).orElse("start");
            pages.add(from);
            if (from.equals("d") && failThirdPage.getAndSet(false)) {
              throw new IllegalStateException("the database went away");
            }
            return super.contacts(after, max);
          }
        };
    TriggerKit kit =
        new TriggerKit(
            dev.steward.testing.SettableClock.of(START),
            counting,
            InMemoryTriggerStore.of(),
            null,
            dev.steward.testing.RecordingTransport.of(),
            List.of(d),
            t -> t.pageSize(2),
            "kit");
    List<ContactId> cs =
        List.of("a", "b", "c", "d", "e").stream()
            .map(
                id -> {
                  ContactId c = ContactId.of(id);
                  kit.triggers.recordEvent(TENANT, c, "l-" + id, "login", START); // no profile yet
                  return kit.contact(id, BERLIN, Map.of());
                })
            .toList();
    cs.forEach(c -> assertThat(kit.enrolments(c)).isEmpty());
    kit.driver.runDue(); // the first pass, at START: nobody matches yet
    assertThat(pages).containsExactly("start", "b", "d");
    // the third page failed and was retried; the retry was due after a back-off
    pages.clear();
    kit.runUntil(START.plus(Duration.ofDays(1)).plus(HOUR), HOUR);
    assertThat(pages).startsWith("d").contains("start");
    pages.clear();
    kit.clock.set(START.plus(Duration.ofDays(8)));
    kit.driver.runDue();
    // one page per run, each from where the last ended, in one pass of the 10th
    assertThat(pages).containsExactly("start", "b", "d");
    cs.forEach(c -> assertThat(kit.enrolments(c)).hasSize(1));
    assertThat(kit.work.find(JourneyTriggers.sweepKey()).orElseThrow().payload())
        .doesNotContain("contact");

    // a contact erased through the scheduler: its trigger state goes with it
    kit.scheduler.eraseContact(TENANT, cs.get(0));
    kit.clock.set(START.plus(Duration.ofDays(9)));
    kit.driver.runDue();
    assertThat(kit.triggerStore.membership(TENANT, cs.get(0), "quiet")).isEmpty();
    assertThat(kit.triggerStore.membership(TENANT, cs.get(1), "quiet")).isPresent();
  }

  @Test
  void aPassWithoutSegmentDateOrScheduleTriggersReadsNoContactsAndComesBackNextPeriod() {
    // cpu14: evaluate acts only on those triggers; a pass paged through every profile for nothing
    JourneyDefinition manual =
        JourneyDefinition.builder("manual", 1)
            .step(Step.Send.of("hello", "tpl-manual", MessageKind.RELATIONSHIP, "csm", null))
            .build();
    JourneyDefinition onEvent =
        JourneyDefinition.builder("on-event", 1)
            .trigger(new EntryTrigger.OnEvent("usage-limit-reached"))
            .step(Step.Send.of("hello", "tpl-event", MessageKind.RELATIONSHIP, "csm", null))
            .build();
    List<String> pages = new java.util.ArrayList<>();
    JourneyStore counting =
        new DelegatingJourneyStore(InMemoryJourneyStore.of()) {
          @Override
          public List<ContactProfile> contacts(Optional<ContactProfile> after, int max) {
            pages.add(after.map(m -> m.contact().value()).orElse("start"));
            return super.contacts(after, max);
          }
        };
    TriggerKit kit =
        new TriggerKit(
            dev.steward.testing.SettableClock.of(START),
            counting,
            InMemoryTriggerStore.of(),
            null,
            dev.steward.testing.RecordingTransport.of(),
            List.of(manual, onEvent),
            t -> t.pageSize(2),
            "kit");
    ContactId ann = kit.contact("ann", BERLIN, Map.of("plan", "pro"));
    kit.contact("ben", BERLIN, Map.of());
    kit.contact("cid", BERLIN, Map.of());
    kit.driver.runDue();
    assertThat(pages).isEmpty();
    WorkItem pass = kit.work.find(JourneyTriggers.sweepKey()).orElseThrow();
    assertThat(pass.dueAt()).isEqualTo(START.plus(Duration.ofDays(1)));
    assertThat(pass.payload()).doesNotContain("contact");
    // the event trigger still enrols: only the pass over contacts was left out
    assertThat(kit.triggers.recordEvent(TENANT, ann, "e-1", "usage-limit-reached", START))
        .containsOnlyKeys("on-event");
    assertThat(kit.enrolments(ann)).hasSize(1);

    // beside a journey with a segment trigger, the pass pages through every profile again
    TriggerKit both =
        kit.twin(
            List.of(manual, onEvent, oneSend("pro", PRO, ReEntry.always())), t -> t.pageSize(2));
    both.clock.set(START.plus(Duration.ofDays(1)));
    both.driver.runDue();
    assertThat(pages).containsExactly("start", "ben");
    assertThat(both.enrolments(ann)).hasSize(2);
  }

  @Test
  void segmentsAreDataInJsonWithEventCounts() {
    String json =
        """
        {"id": "lapsed", "version": 1,
         "triggers": [{"type": "segment", "when": {"and": [
            {"events": {"event": "login", "within": "P14D", "op": "eq", "count": 0}},
            {"not": {"attribute": "status", "op": "eq", "value": "churned"}},
            {"or": [{"attribute": "plan", "op": "eq", "value": "pro"},
                    {"attribute": "seats", "op": "ge", "value": 10}]}]}}],
         "steps": [{"id": "x", "type": "exit"}]}
        """;
    JourneyDefinition d = JourneyDefinition.fromJson(json);
    Segment s = ((EntryTrigger.InSegment) d.triggers().get(0)).when();
    assertThat(s)
        .isEqualTo(
            Segment.and(
                Segment.none("login", Duration.ofDays(14)),
                Segment.where(Condition.not(Condition.eq("status", "churned"))),
                Segment.where(
                    Condition.or(
                        Condition.eq("plan", "pro"),
                        Condition.compare("seats", Condition.Op.GE, "10")))));
    assertThat(JourneyDefinition.fromJson(d.toJson())).isEqualTo(d);
    Segment.EventCounts none = (e, w) -> 0;
    Segment.EventCounts one = (e, w) -> 1;
    assertThat(s.test(Map.of("plan", "pro"), none)).isTrue();
    assertThat(s.test(Map.of("plan", "pro"), one)).isFalse();
    assertThat(s.test(Map.of("plan", "pro", "status", "churned"), none)).isFalse();
    assertThat(s.test(Map.of("seats", "9"), none)).isFalse();
  }

  @Test
  void badSegmentsAreRefusedWithThePath() {
    String prefix =
        "{\"id\": \"j\", \"version\": 1, \"triggers\": [{\"type\": \"segment\", \"when\": ";
    String suffix = "}], \"steps\": [{\"id\": \"x\", \"type\": \"exit\"}]}";
    assertThatThrownBy(
            () ->
                JourneyDefinition.fromJson(
                    prefix
                        + "{\"events\": {\"event\": \"login\", \"within\": \"P14D\", \"op\": \"exists\", \"count\": 0}}"
                        + suffix))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("triggers[0].when.events")
        .hasMessageContaining("exists");
    assertThatThrownBy(
            () ->
                JourneyDefinition.fromJson(
                    prefix
                        + "{\"and\": [{\"events\": {\"event\": \"login\", \"within\": \"-P1D\", \"op\": \"eq\", \"count\": 0}}]}"
                        + suffix))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("triggers[0].when.and[0].events")
        .hasMessageContaining("window");
    assertThatThrownBy(
            () ->
                JourneyDefinition.fromJson(
                    prefix
                        + "{\"events\": {\"event\": \"email.opne\", \"within\": \"P1D\", \"op\": \"eq\", \"count\": 0}}"
                        + suffix))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("unknown provider event type 'opne'");
    assertThatThrownBy(() -> new EntryTrigger.OnEvent("email.clik"))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("clik");
    assertThatThrownBy(() -> Segment.events("login", Duration.ofDays(1), Condition.Op.GE, -1))
        .hasMessageContaining("counts are 0 or more");
  }

  @Test
  void tenantsDoNotShareMembershipsOrEvents() {
    TriggerStore s = InMemoryTriggerStore.of();
    ContactId c = ContactId.of("c");
    TenantId other = TenantId.of("t2");
    s.recordEvent(new ContactEvent(TENANT, c, "e1", "login", START));
    assertThat(s.countEvents(other, c, "login", START.minusSeconds(1), START)).isZero();
    assertThat(s.countEvents(TENANT, c, "LOGIN", START.minusSeconds(1), START)).isEqualTo(1);
  }
}
