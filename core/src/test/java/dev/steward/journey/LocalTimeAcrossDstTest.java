package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Waits for a local time keep the wall-clock time across both of Berlin's DST changes in 2026 (29
 * March, 02:00 CET to 03:00 CEST; 25 October, 03:00 CEST back to 02:00 CET), while a wait of a
 * duration is elapsed time.
 */
class LocalTimeAcrossDstTest {

  private static JourneyDefinition at(LocalTime time) {
    return JourneyDefinition.builder("daily", 1)
        .step(Step.Send.of("a", "tpl-a", MessageKind.EDUCATIONAL, "news", "at-1"))
        .step(new Step.WaitUntilLocalTime("at-1", time, Set.of(), Optional.of("b")))
        .step(Step.Send.of("b", "tpl-b", MessageKind.EDUCATIONAL, "news", "at-2"))
        .step(new Step.WaitUntilLocalTime("at-2", time, Set.of(), Optional.of("c")))
        .step(Step.Send.of("c", "tpl-c", MessageKind.EDUCATIONAL, "news", "day"))
        .step(new Step.Wait("day", Duration.ofDays(1), Optional.of("d")))
        .step(Step.Send.of("d", "tpl-d", MessageKind.EDUCATIONAL, "news", null))
        .build();
  }

  private static JourneyKit run(Instant enrolAt, LocalTime time) {
    JourneyKit kit = new JourneyKit(enrolAt, b -> b.journey(at(time)));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "daily");
    kit.runUntil(enrolAt.plus(Duration.ofDays(5)), Duration.ofMinutes(30));
    return kit;
  }

  @Test
  void springForwardKeepsNineOClockAndTheDayIsTwentyThreeHours() {
    // Saturday 28 March 09:00 CET
    JourneyKit kit = run(Instant.parse("2026-03-28T08:00:00Z"), LocalTime.of(9, 0));
    assertThat(kit.sends())
        .containsExactly(
            "ann tpl-a 2026-03-28T08:00:00Z",
            "ann tpl-b 2026-03-29T07:00:00Z", // 09:00 CEST, 23 hours later
            "ann tpl-c 2026-03-30T07:00:00Z",
            "ann tpl-d 2026-03-31T07:00:00Z");
  }

  @Test
  void fallBackKeepsNineOClockAndTheDayIsTwentyFiveHours() {
    // Saturday 24 October 09:00 CEST
    JourneyKit kit = run(Instant.parse("2026-10-24T07:00:00Z"), LocalTime.of(9, 0));
    assertThat(kit.sends())
        .containsExactly(
            "ann tpl-a 2026-10-24T07:00:00Z",
            "ann tpl-b 2026-10-25T08:00:00Z", // 09:00 CET, 25 hours later
            "ann tpl-c 2026-10-26T08:00:00Z",
            "ann tpl-d 2026-10-27T08:00:00Z");
  }

  @Test
  void aDurationWaitIsElapsedTimeAcrossTheChange() {
    // c on Sunday 29 March at 09:00 CEST would be followed 24 h later by d; start so that the
    // one-day wait itself crosses the change: a Saturday 09:00 CET send, then the day wait
    JourneyDefinition j =
        JourneyDefinition.builder("elapsed", 1)
            .step(Step.Send.of("a", "tpl-a", MessageKind.EDUCATIONAL, "news", "day"))
            .step(new Step.Wait("day", Duration.ofDays(1), Optional.of("b")))
            .step(Step.Send.of("b", "tpl-b", MessageKind.EDUCATIONAL, "news", null))
            .build();
    JourneyKit kit = new JourneyKit(Instant.parse("2026-03-28T08:00:00Z"), b -> b.journey(j));
    kit.enrol(kit.contact("ann", BERLIN, Map.of()), "elapsed");
    kit.runUntil(Instant.parse("2026-03-30T00:00:00Z"), Duration.ofMinutes(30));
    // 24 hours later, which is 10:00 CEST
    assertThat(kit.sends())
        .containsExactly("ann tpl-a 2026-03-28T08:00:00Z", "ann tpl-b 2026-03-29T08:00:00Z");
  }

  @Test
  void aSkippedTimeIsTakenAfterTheChangeAndARepeatedOneAtItsFirstOccurrence() {
    Step.WaitUntilLocalTime half2 =
        new Step.WaitUntilLocalTime("w", LocalTime.of(2, 30), Set.of(), Optional.empty());
    // 02:30 on 29 March does not exist: 03:30 CEST
    assertThat(JourneyScheduler.nextLocalTime(Instant.parse("2026-03-28T12:00:00Z"), half2, BERLIN))
        .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    // 02:30 on 25 October happens twice: the first, in CEST
    assertThat(JourneyScheduler.nextLocalTime(Instant.parse("2026-10-24T12:00:00Z"), half2, BERLIN))
        .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
    // and after the first, the next is the next day's, not the repeat an hour later
    assertThat(JourneyScheduler.nextLocalTime(Instant.parse("2026-10-25T00:30:00Z"), half2, BERLIN))
        .isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void weekdaysAreTheContactsLocalWeekdays() {
    Step.WaitUntilLocalTime monday =
        new Step.WaitUntilLocalTime(
            "w", LocalTime.of(8, 0), Set.of(java.time.DayOfWeek.MONDAY), Optional.empty());
    java.time.ZoneId auckland = java.time.ZoneId.of("Pacific/Auckland");
    // Sunday 22:00 UTC is already Monday 11:00 in Auckland: the next Monday 08:00 there is a week
    // on
    assertThat(
            JourneyScheduler.nextLocalTime(Instant.parse("2026-03-01T22:00:00Z"), monday, auckland))
        .isEqualTo(Instant.parse("2026-03-08T19:00:00Z"));
  }

  @Test
  void aDayTheZoneSkippedIsNoneOfItsWeekdays() {
    // Samoa skipped Friday 30 December 2011: Thursday 29th 23:59:59 (UTC-10) was followed by
    // Saturday 31st 00:00 (UTC+14)
    java.time.ZoneId apia = java.time.ZoneId.of("Pacific/Apia");
    Instant thursdayNoon = Instant.parse("2011-12-29T22:00:00Z");
    LocalTime nine = LocalTime.of(9, 0);
    Step.WaitUntilLocalTime friday =
        new Step.WaitUntilLocalTime(
            "w", nine, Set.of(java.time.DayOfWeek.FRIDAY), Optional.empty());
    Step.WaitUntilLocalTime fridayOrSaturday =
        new Step.WaitUntilLocalTime(
            "w",
            nine,
            Set.of(java.time.DayOfWeek.FRIDAY, java.time.DayOfWeek.SATURDAY),
            Optional.empty());
    Step.WaitUntilLocalTime daily =
        new Step.WaitUntilLocalTime("w", nine, Set.of(), Optional.empty());

    // the next Friday that exists, a week on (09:00 UTC+14 is 19:00 UTC the day before)
    assertThat(JourneyScheduler.nextLocalTime(thursdayNoon, friday, apia))
        .isEqualTo(Instant.parse("2012-01-05T19:00:00Z"));
    // a Saturday wanted anyway is taken on the Saturday
    assertThat(JourneyScheduler.nextLocalTime(thursdayNoon, fridayOrSaturday, apia))
        .isEqualTo(Instant.parse("2011-12-30T19:00:00Z"));
    assertThat(JourneyScheduler.nextLocalTime(thursdayNoon, daily, apia))
        .isEqualTo(Instant.parse("2011-12-30T19:00:00Z"));
    // from the Friday before, the skipped Friday is passed over too: two weeks on
    assertThat(JourneyScheduler.nextLocalTime(Instant.parse("2011-12-23T22:00:00Z"), friday, apia))
        .isEqualTo(Instant.parse("2012-01-05T19:00:00Z"));
    assertThat(JourneyScheduler.existsLocally(java.time.LocalDate.of(2011, 12, 30), apia))
        .isFalse();
    assertThat(JourneyScheduler.existsLocally(java.time.LocalDate.of(2011, 12, 31), apia)).isTrue();
    // Berlin's spring-forward day exists, although 02:00 to 03:00 does not
    assertThat(JourneyScheduler.existsLocally(java.time.LocalDate.of(2026, 3, 29), BERLIN))
        .isTrue();
  }
}
