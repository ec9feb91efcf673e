package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.WorkItem;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Date-attribute triggers with offsets and recurring schedules, as due work in the contact's zone
 * across both DST changes; each occurrence enrols at most once.
 */
class DateTriggerTest {
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final Duration HOUR = Duration.ofHours(1);

  static JourneyDefinition reminder(EntryTrigger trigger, String id) {
    return JourneyDefinition.builder(id, 1)
        .trigger(trigger)
        .reEntry(ReEntry.always())
        .step(Step.Send.of("send", "tpl-" + id, MessageKind.RELATIONSHIP, "csm", null))
        .build();
  }

  static final EntryTrigger RENEWAL =
      new EntryTrigger.OnDate("renewal_date", List.of(-90, -60, -30, -14, -7), LocalTime.of(9, 0));

  @Test
  void renewalOffsetsInTheContactsZoneAcrossTheAutumnChanges() {
    TriggerKit kit =
        new TriggerKit(
            Instant.parse("2026-08-01T00:00:00Z"), List.of(reminder(RENEWAL, "renewal-nudge")));
    ContactId ann = kit.contact("ann", BERLIN, Map.of("renewal_date", "2026-11-20"));
    ContactId dan = kit.contact("dan", NEW_YORK, Map.of("renewal_date", "2026-11-20"));
    // set 40 days ahead: -90 and -60 are long past and passed over
    ContactId cat = kit.contact("cat", BERLIN, Map.of("renewal_date", "2026-09-10"));
    ContactId ben = kit.contact("ben", BERLIN, Map.of("renewal_date", "2026-11-20"));

    kit.runUntil(Instant.parse("2026-10-01T00:00:00Z"), HOUR);
    kit.set(ben, "renewal_date", "2026-12-04"); // renewal moved: the later offsets re-anchor
    kit.runUntil(Instant.parse("2026-11-21T00:00:00Z"), HOUR);

    assertThat(kit.timeline(ann))
        .containsExactly(
            "tpl-renewal-nudge 2026-08-22T07:00:00Z",
            "tpl-renewal-nudge 2026-09-21T07:00:00Z",
            "tpl-renewal-nudge 2026-10-21T07:00:00Z",
            // Berlin is on winter time from 25 October
            "tpl-renewal-nudge 2026-11-06T08:00:00Z",
            "tpl-renewal-nudge 2026-11-13T08:00:00Z");
    assertThat(kit.timeline(dan))
        .containsExactly(
            "tpl-renewal-nudge 2026-08-22T13:00:00Z",
            "tpl-renewal-nudge 2026-09-21T13:00:00Z",
            "tpl-renewal-nudge 2026-10-21T13:00:00Z",
            // New York on standard time from 1 November
            "tpl-renewal-nudge 2026-11-06T14:00:00Z",
            "tpl-renewal-nudge 2026-11-13T14:00:00Z");
    assertThat(kit.timeline(cat))
        .containsExactly(
            "tpl-renewal-nudge 2026-08-11T07:00:00Z",
            "tpl-renewal-nudge 2026-08-27T07:00:00Z",
            "tpl-renewal-nudge 2026-09-03T07:00:00Z");
    assertThat(kit.timeline(ben))
        .containsExactly(
            "tpl-renewal-nudge 2026-08-22T07:00:00Z",
            "tpl-renewal-nudge 2026-09-21T07:00:00Z",
            // -60 of 4 December was 5 October, after the move; -30 of the old date never came
            "tpl-renewal-nudge 2026-10-05T07:00:00Z",
            "tpl-renewal-nudge 2026-11-04T08:00:00Z",
            "tpl-renewal-nudge 2026-11-20T08:00:00Z");
    assertThat(kit.transport.sent()).extracting(m -> m.id()).doesNotHaveDuplicates();
  }

  @Test
  void anOccurrenceRunAgainAfterACrashEnrolsOnce() {
    Instant start = Instant.parse("2026-08-21T00:00:00Z");
    TriggerKit kit = new TriggerKit(start, List.of(reminder(RENEWAL, "renewal-nudge")));
    ContactId ann = kit.contact("ann", BERLIN, Map.of("renewal_date", "2026-11-20"));
    WorkItem timer = kit.work.findBySubject(TENANT, ann.value(), JourneyTriggers.TIMER_KIND).get(0);
    assertThat(timer.dueAt()).isEqualTo(Instant.parse("2026-08-22T07:00:00Z"));

    kit.runUntil(Instant.parse("2026-08-22T08:00:00Z"), HOUR);
    assertThat(kit.enrolments(ann)).hasSize(1);
    // the instance died after enrolling, before its completion was stored: the item runs again
    kit.work.schedule(timer, IfExists.REPLACE);
    kit.driver.runDue();
    assertThat(kit.enrolments(ann)).hasSize(1);
    assertThat(kit.timeline(ann)).hasSize(1);
    // and it went on to the next occurrence
    assertThat(kit.work.findBySubject(TENANT, ann.value(), JourneyTriggers.TIMER_KIND))
        .extracting(WorkItem::dueAt)
        .containsExactly(Instant.parse("2026-09-21T07:00:00Z"));
  }

  @Test
  void twoInstancesTakeEachOccurrenceOnce() {
    Instant start = Instant.parse("2026-08-21T00:00:00Z");
    JourneyDefinition d = reminder(RENEWAL, "renewal-nudge");
    TriggerKit one = new TriggerKit(start, List.of(d));
    TriggerKit two = one.twin(List.of(d), t -> t);
    ContactId ann = one.contact("ann", BERLIN, Map.of("renewal_date", "2026-11-20"));
    two.triggers.evaluate(TENANT, ann); // the other instance sees the contact too
    for (Instant t = start; t.isBefore(Instant.parse("2026-11-21T00:00:00Z")); t = t.plus(HOUR)) {
      one.driver.advanceTo(t);
      two.driver.runDue();
    }
    assertThat(one.timeline(ann)).hasSize(5);
    assertThat(one.enrolments(ann)).hasSize(5);
  }

  @Test
  void recurringSchedulesQuarterlyAndMonthlyInTheContactsZone() {
    EntryTrigger nps =
        new EntryTrigger.OnSchedule(
            Period.ofMonths(3),
            LocalDate.of(2026, 1, 15),
            LocalTime.of(10, 0),
            Optional.of(Condition.not(Condition.eq("plan", "free"))));
    EntryTrigger report =
        new EntryTrigger.OnSchedule(
            Period.ofMonths(1), LocalDate.of(2026, 1, 31), LocalTime.of(9, 0), Optional.empty());
    Instant start = Instant.parse("2026-02-01T00:00:00Z");
    TriggerKit kit =
        new TriggerKit(start, List.of(reminder(nps, "nps"), reminder(report, "value-report")));
    ContactId ann = kit.contact("ann", BERLIN, Map.of("plan", "pro"));
    ContactId fay = kit.contact("fay", NEW_YORK, Map.of("plan", "free"));
    kit.runUntil(start.plus(Duration.ofDays(120)), HOUR);
    // a contact put more than the late limit after an occurrence is not sent it
    TriggerKit later =
        new TriggerKit(
            Instant.parse("2026-02-02T09:00:00Z"), List.of(reminder(report, "value-report")));
    ContactId gil = later.contact("gil", BERLIN, Map.of());
    later.runUntil(Instant.parse("2026-03-01T00:00:00Z"), HOUR);
    assertThat(later.timeline(gil)).containsExactly("tpl-value-report 2026-02-28T08:00:00Z");

    assertThat(kit.timeline(ann))
        .containsExactly(
            // 31 January 09:00 was 16 hours before the contact was put: within the late limit
            "tpl-value-report 2026-02-01T00:00:00Z",
            "tpl-value-report 2026-02-28T08:00:00Z",
            "tpl-value-report 2026-03-31T07:00:00Z", // summer time from 29 March
            "tpl-nps 2026-04-15T08:00:00Z",
            "tpl-value-report 2026-04-30T07:00:00Z",
            "tpl-value-report 2026-05-31T07:00:00Z");
    assertThat(kit.timeline(fay)) // free plan: no NPS; New York on daylight time from 8 March
        .containsExactly(
            "tpl-value-report 2026-02-01T00:00:00Z",
            "tpl-value-report 2026-02-28T14:00:00Z",
            "tpl-value-report 2026-03-31T13:00:00Z",
            "tpl-value-report 2026-04-30T13:00:00Z",
            "tpl-value-report 2026-05-31T13:00:00Z");
  }

  @Test
  void theSpringGapMovesAnOccurrenceToAfterTheChange() {
    EntryTrigger at230 =
        new EntryTrigger.OnDate("d", List.of(0), LocalTime.of(2, 30)); // skipped on 29 March
    Instant start = Instant.parse("2026-03-28T00:00:00Z");
    TriggerKit kit = new TriggerKit(start, List.of(reminder(at230, "gap")));
    ContactId ann = kit.contact("ann", BERLIN, Map.of("d", "2026-03-29"));
    kit.runUntil(start.plus(Duration.ofDays(2)), Duration.ofMinutes(30));
    assertThat(kit.timeline(ann)).containsExactly("tpl-gap 2026-03-29T01:30:00Z"); // 03:30 CEST
  }

  @Test
  void badSchedulesAreRefusedInJsonWithThePath() {
    String prefix = "{\"id\": \"j\", \"version\": 1, \"triggers\": [";
    String suffix = "], \"steps\": [{\"id\": \"x\", \"type\": \"exit\"}]}";
    assertThatThrownBy(
            () ->
                JourneyDefinition.fromJson(
                    prefix
                        + "{\"type\": \"schedule\", \"every\": \"P1M2D\", \"anchor\": \"2026-01-01\"}"
                        + suffix))
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("triggers[0]")
        .hasMessageContaining("P1M2D");
    assertThatThrownBy(
            () ->
                JourneyDefinition.fromJson(
                    prefix
                        + "{\"type\": \"schedule\", \"every\": \"P3M\", \"anchor\": \"2026-02-30\"}"
                        + suffix))
        .hasMessageContaining("triggers[0].anchor");
    assertThatThrownBy(() -> JourneyDefinition.fromJson(prefix + "{\"type\": \"health\"}" + suffix))
        .hasMessageContaining("'to' is missing");
    JourneyDefinition d =
        JourneyDefinition.fromJson(
            prefix
                + "{\"type\": \"schedule\", \"every\": \"P3M\", \"anchor\": \"2026-01-15\","
                + " \"time\": \"10:00\", \"when\": {\"attribute\": \"plan\", \"op\": \"ne\","
                + " \"value\": \"free\"}}, {\"type\": \"health\", \"to\": \"red\", \"from\": \"amber\"}"
                + suffix);
    assertThat(JourneyDefinition.fromJson(d.toJson())).isEqualTo(d);
    assertThat(d.triggers().get(1))
        .isEqualTo(new EntryTrigger.OnHealthBand("red", Optional.of("amber")));
  }
}
