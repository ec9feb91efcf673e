package dev.steward.review14t;

import static dev.steward.review14t.World14t.BERLIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.jdbc.JdbcJourneyStore;
import dev.steward.jdbc.JdbcTriggerStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EntryTrigger;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.InMemoryTriggerStore;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * "Once per N days" against recurring schedules across the spring DST change: a weekly 09:00
 * (Europe/Berlin) occurrence falls 7 days less an hour after the one before, so re-entry "once per
 * 7 days" counted in 24-hour days refused the week after the change; daily with "once per day"
 * refused the day of the change.
 */
class ReEntryAcrossDstTest {
  static final Instant START = Instant.parse("2026-03-16T06:00:00Z");
  static final AtomicInteger DATABASES = new AtomicInteger();

  static JourneyDefinition every(Period period, LocalDate anchor, ReEntry reEntry) {
    return JourneyDefinition.builder("nps", 1)
        .trigger(new EntryTrigger.OnSchedule(period, anchor, LocalTime.of(9, 0), Optional.empty()))
        .reEntry(reEntry)
        .step(Step.Send.of("ask", "tpl-nps", MessageKind.RELATIONSHIP, "csm", null))
        .build();
  }

  static World14t memory(JourneyDefinition d) {
    return new World14t(
        SettableClock.of(START), InMemoryJourneyStore.of(), InMemoryTriggerStore.of(), List.of(d));
  }

  static World14t h2(JourneyDefinition d) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(
        "jdbc:h2:mem:review14t-reentry-"
            + DATABASES.incrementAndGet()
            + ";DB_CLOSE_DELAY=-1;TIME ZONE=Pacific/Chatham");
    StewardSchema.bootstrap(ds);
    return new World14t(
        SettableClock.of(START), JdbcJourneyStore.of(ds), JdbcTriggerStore.of(ds), List.of(d));
  }

  static void weekly(World14t w) {
    ContactId ann = w.contact("ann", BERLIN, Map.of());
    w.runUntil(Instant.parse("2026-04-08T00:00:00Z"), Duration.ofHours(1));
    assertThat(w.enrolments(ann, "nps"))
        .extracting(Enrolment::enteredAt)
        .containsExactly(
            Instant.parse("2026-03-16T08:00:00Z"), // 09:00 CET
            Instant.parse("2026-03-23T08:00:00Z"),
            Instant.parse("2026-03-30T07:00:00Z"), // 09:00 CEST: 7 days less an hour later
            Instant.parse("2026-04-06T07:00:00Z"));
  }

  @Test
  void weeklyWithOncePerSevenDaysEntersEveryWeekAcrossTheChangeInMemory() {
    weekly(memory(every(Period.ofDays(7), LocalDate.of(2026, 3, 16), ReEntry.oncePerDays(7))));
  }

  @Test
  void weeklyWithOncePerSevenDaysEntersEveryWeekAcrossTheChangeOnH2() {
    weekly(h2(every(Period.ofDays(7), LocalDate.of(2026, 3, 16), ReEntry.oncePerDays(7))));
  }

  @Test
  void dailyWithOncePerDayEntersOnTheDayOfTheChange() {
    World14t w = memory(every(Period.ofDays(1), LocalDate.of(2026, 3, 27), ReEntry.oncePerDays(1)));
    w.clock.set(Instant.parse("2026-03-27T06:00:00Z"));
    ContactId ann = w.contact("ann", BERLIN, Map.of());
    w.runUntil(Instant.parse("2026-03-31T00:00:00Z"), Duration.ofHours(1));
    assertThat(w.enrolments(ann, "nps"))
        .extracting(Enrolment::enteredAt)
        .containsExactly(
            Instant.parse("2026-03-27T08:00:00Z"),
            Instant.parse("2026-03-28T08:00:00Z"),
            Instant.parse("2026-03-29T07:00:00Z"), // 23 hours after the day before
            Instant.parse("2026-03-30T07:00:00Z"));
  }

  @Test
  void stillRefusedAnHourShortOfTheDaysInTheContactsZone() {
    // the autumn change makes a week 7 days and an hour: an entry 7 local days later is allowed,
    // one short of them is still refused (the rule is not loosened by an hour everywhere)
    World14t w = memory(every(Period.ofDays(7), LocalDate.of(2026, 3, 16), ReEntry.oncePerDays(8)));
    ContactId ann = w.contact("ann", BERLIN, Map.of());
    w.runUntil(Instant.parse("2026-04-08T00:00:00Z"), Duration.ofHours(1));
    assertThat(w.enrolments(ann, "nps"))
        .extracting(Enrolment::enteredAt)
        .containsExactly(
            Instant.parse("2026-03-16T08:00:00Z"), Instant.parse("2026-03-30T07:00:00Z"));
  }
}
