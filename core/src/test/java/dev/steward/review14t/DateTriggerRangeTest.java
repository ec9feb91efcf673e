package dev.steward.review14t;

import static dev.steward.review14t.World14t.BERLIN;
import static dev.steward.review14t.World14t.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.journey.Condition;
import dev.steward.journey.EntryTrigger;
import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Segment;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Date attributes and schedules at the ends of the range: a "no end" sentinel such as 9999-12-31
 * (common in CRMs) lies beyond what the work store keeps (2262), and {@code +999999999-12-31} plus
 * an offset overflows {@code LocalDate}. Neither may stop the contact's other triggers.
 */
class DateTriggerRangeTest {
  static final Instant START = Instant.parse("2026-03-16T06:00:00Z");

  static JourneyDefinition oneSend(String id, EntryTrigger t) {
    return JourneyDefinition.builder(id, 1)
        .trigger(t)
        .reEntry(ReEntry.always())
        .step(Step.Send.of("hello", "tpl-" + id, MessageKind.RELATIONSHIP, "csm", null))
        .build();
  }

  /** "a-..." sorts before "b-pro": the journeys are evaluated in id order. */
  static World14t world(EntryTrigger first) {
    return new World14t(
        START,
        List.of(
            oneSend("a-dated", first),
            oneSend(
                "b-pro", new EntryTrigger.InSegment(Segment.where(Condition.eq("plan", "pro"))))));
  }

  @Test
  void aRenewalDateOf9999_12_31DoesNotStopTheContactsSegmentEntry() {
    World14t w = world(new EntryTrigger.OnDate("renewal_date", List.of(-30), LocalTime.of(9, 0)));
    ContactId ann = w.contact("ann", BERLIN, Map.of("renewal_date", "9999-12-31", "plan", "free"));
    w.set(ann, "plan", "pro");
    assertThat(w.enrolments(ann, "b-pro")).hasSize(1);
    assertThat(w.enrolments(ann, "a-dated")).isEmpty();
  }

  @Test
  void aDateAtTheEndOfLocalDatesRangeWithAPositiveOffsetIsPassedOver() {
    World14t w = world(new EntryTrigger.OnDate("renewal_date", List.of(30), LocalTime.of(9, 0)));
    ContactId ann =
        w.contact("ann", BERLIN, Map.of("renewal_date", "+999999999-12-31", "plan", "free"));
    assertThat(w.triggers.evaluate(TENANT, ann)).isEmpty();
    w.set(ann, "plan", "pro");
    assertThat(w.enrolments(ann, "b-pro")).hasSize(1);
  }

  @Test
  void aDateInRangeStillEnrolsBesideAContactWithASentinel() {
    World14t w = world(new EntryTrigger.OnDate("renewal_date", List.of(-30), LocalTime.of(9, 0)));
    w.contact("ann", BERLIN, Map.of("renewal_date", "9999-12-31"));
    ContactId bob = w.contact("bob", BERLIN, Map.of("renewal_date", "2026-05-01"));
    w.runUntil(Instant.parse("2026-04-02T00:00:00Z"), Duration.ofHours(1));
    assertThat(w.enrolments(bob, "a-dated")).hasSize(1);
    assertThat(w.enrolments(bob, "a-dated").get(0).enteredAt())
        .isEqualTo(Instant.parse("2026-04-01T07:00:00Z")); // 09:00 CEST
  }

  @Test
  void aScheduleAnchoredBeyondTheStorableRangeIsRefusedNamingTheAnchor() {
    // it could never fire: each contact's timer was refused by the work store instead, on every
    // evaluation, and took the contact's later journeys with it
    assertThatThrownBy(
            () ->
                new EntryTrigger.OnSchedule(
                    Period.ofMonths(1),
                    LocalDate.of(2300, 1, 1),
                    LocalTime.of(9, 0),
                    Optional.empty()))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("2300-01-01");
    String json =
        "{\"id\":\"late\",\"version\":1,\"triggers\":[{\"type\":\"schedule\",\"every\":\"P1M\","
            + "\"anchor\":\"2300-01-01\"}],\"steps\":[{\"id\":\"hello\",\"type\":\"send\","
            + "\"template\":\"t\",\"kind\":\"RELATIONSHIP\",\"category\":\"csm\"}]}";
    assertThatThrownBy(() -> JourneyDefinition.fromJson(json))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("triggers[0]")
        .hasMessageContaining("2300-01-01");
  }

  @Test
  void aScheduleAnchoredFarInThePastStillFires() {
    // more than Integer.MAX_VALUE days before now: the search for the next occurrence gave up
    World14t w =
        world(
            new EntryTrigger.OnSchedule(
                Period.ofDays(1),
                LocalDate.of(-6_000_000, 1, 1),
                LocalTime.of(9, 0),
                Optional.empty()));
    ContactId ann = w.contact("ann", BERLIN, Map.of());
    w.runUntil(Instant.parse("2026-03-17T00:00:00Z"), Duration.ofHours(1));
    // yesterday's 09:00 (within the default late limit of a day) and today's, as any anchor
    assertThat(w.enrolments(ann, "a-dated"))
        .extracting(e -> e.enteredAt())
        .containsExactly(
            Instant.parse("2026-03-16T06:00:00Z"), Instant.parse("2026-03-16T08:00:00Z"));
  }
}
