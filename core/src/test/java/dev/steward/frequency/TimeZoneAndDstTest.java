package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Reason;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * Calendar windows and quiet hours in the recipient's zone across the 2026 US DST changes
 * (2026-03-08 spring forward, 2026-11-01 fall back), for New York and for Tokyo (no DST).
 */
class TimeZoneAndDstTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  private final SettableClock clock = SettableClock.of(Instant.parse("2026-01-01T00:00:00Z"));

  private static Message msg(String contact, ZoneId zone) {
    return Messages.to(contact, "acct-" + contact, zone, MessageKind.PROMOTIONAL, "offers");
  }

  private FrequencyCapLimiter limiter(CapPolicy policy) {
    return FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock).policy(policy).build();
  }

  /** Decides once at {@code sentAt} (allowed) and returns the decision for a second right after. */
  private static Decision secondAfterFirst(
      FrequencyCapLimiter l, Message m, SettableClock c, String at) {
    c.set(Instant.parse(at));
    assertThat(l.decide(m).isAllowed()).isTrue();
    c.set(Instant.parse(at).plusSeconds(60));
    return l.decide(m);
  }

  @Test
  void calendarDayAroundSpringForwardInNewYork() {
    CapPolicy policy = CapPolicy.builder().cap(Cap.perContact(1, Window.day())).build();
    // Saturday 12:00 EST: the next day starts at Sunday 00:00 EST = 05:00Z
    Decision before =
        secondAfterFirst(limiter(policy), msg("a", NEW_YORK), clock, "2026-03-07T17:00:00Z");
    assertThat(before.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-03-08T05:00:00Z"));
    // Sunday 12:00 EDT: a 23-hour day; the next starts Monday 00:00 EDT = 04:00Z
    Decision during =
        secondAfterFirst(limiter(policy), msg("b", NEW_YORK), clock, "2026-03-08T16:00:00Z");
    assertThat(during.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));
    Reason.Usage usage = during.reasons().get(0).usage().orElseThrow();
    assertThat(usage.windowStart()).isEqualTo(Instant.parse("2026-03-08T05:00:00Z"));
    assertThat(usage.windowEnd()).isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));
  }

  @Test
  void calendarDayAroundFallBackInNewYork() {
    CapPolicy policy = CapPolicy.builder().cap(Cap.perContact(1, Window.day())).build();
    Decision before =
        secondAfterFirst(limiter(policy), msg("a", NEW_YORK), clock, "2026-10-31T16:00:00Z");
    assertThat(before.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-11-01T04:00:00Z"));
    // Sunday 1 November is 25 hours long: 04:00Z to 05:00Z next day
    Decision during =
        secondAfterFirst(limiter(policy), msg("b", NEW_YORK), clock, "2026-11-01T17:00:00Z");
    assertThat(during.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-11-02T05:00:00Z"));
    assertThat(during.reasons().get(0).usage().orElseThrow().windowStart())
        .isEqualTo(Instant.parse("2026-11-01T04:00:00Z"));
  }

  @Test
  void isoWeekAndMonthStraddlingTheChanges() {
    CapPolicy week = CapPolicy.builder().cap(Cap.perContact(1, Window.week())).build();
    // Sunday 8 March closes the ISO week that began Monday 2 March 00:00 EST
    Decision w = secondAfterFirst(limiter(week), msg("a", NEW_YORK), clock, "2026-03-08T16:00:00Z");
    assertThat(w.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));
    assertThat(w.reasons().get(0).usage().orElseThrow().windowStart())
        .isEqualTo(Instant.parse("2026-03-02T05:00:00Z"));

    CapPolicy month = CapPolicy.builder().cap(Cap.perContact(1, Window.month())).build();
    Decision m =
        secondAfterFirst(limiter(month), msg("b", NEW_YORK), clock, "2026-11-15T17:00:00Z");
    assertThat(m.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-12-01T05:00:00Z"));
    assertThat(m.reasons().get(0).usage().orElseThrow().windowStart())
        .isEqualTo(Instant.parse("2026-11-01T04:00:00Z"));
    Decision march =
        secondAfterFirst(limiter(month), msg("c", NEW_YORK), clock, "2026-03-20T16:00:00Z");
    assertThat(march.reasons().get(0).usage().orElseThrow().windowStart())
        .isEqualTo(Instant.parse("2026-03-01T05:00:00Z"));
    assertThat(march.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-04-01T04:00:00Z"));

    CapPolicy quarter = CapPolicy.builder().cap(Cap.perContact(1, Window.quarter())).build();
    Decision q =
        secondAfterFirst(limiter(quarter), msg("d", NEW_YORK), clock, "2026-11-15T17:00:00Z");
    assertThat(q.notBefore().orElseThrow()).isEqualTo(Instant.parse("2027-01-01T05:00:00Z"));
  }

  @Test
  void tokyoHasNoShiftOnTheSameDates() {
    CapPolicy policy = CapPolicy.builder().cap(Cap.perContact(1, Window.day())).build();
    Decision d = secondAfterFirst(limiter(policy), msg("t", TOKYO), clock, "2026-03-08T10:00:00Z");
    assertThat(d.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-03-08T15:00:00Z"));
    Decision n = secondAfterFirst(limiter(policy), msg("u", TOKYO), clock, "2026-11-01T10:00:00Z");
    assertThat(n.notBefore().orElseThrow()).isEqualTo(Instant.parse("2026-11-01T15:00:00Z"));
  }

  @Test
  void quietHoursOnBothSidesOfTheChanges() {
    FrequencyCapLimiter l =
        limiter(CapPolicy.builder().quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)).build());
    // Saturday 22:00 EST -> Sunday 08:00 EDT (12:00Z), not 08:00 EST
    assertThat(
            l.whatIf(msg("a", NEW_YORK), Instant.parse("2026-03-08T03:00:00Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-03-08T12:00:00Z"));
    // Saturday 22:00 EDT -> Sunday 08:00 EST (13:00Z)
    assertThat(
            l.whatIf(msg("a", NEW_YORK), Instant.parse("2026-11-01T02:00:00Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-11-01T13:00:00Z"));
    // 07:59:59 EDT on Monday is still quiet; 08:00 EDT is not
    assertThat(
            l.whatIf(msg("a", NEW_YORK), Instant.parse("2026-03-09T11:59:59Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-03-09T12:00:00Z"));
    assertThat(l.whatIf(msg("a", NEW_YORK), Instant.parse("2026-03-09T12:00:00Z")).isAllowed())
        .isTrue();
    // the same instant is 07:00 the next morning in Tokyo: quiet until 08:00 JST (23:00Z)
    assertThat(
            l.whatIf(msg("t", TOKYO), Instant.parse("2026-11-01T22:00:00Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-11-01T23:00:00Z"));
    assertThat(l.whatIf(msg("t", TOKYO), Instant.parse("2026-03-08T03:00:00Z")).isAllowed())
        .isTrue();
  }

  @Test
  void quietHoursEndingInsideTheGapOrTheOverlap() {
    // ends at 02:30, a local time that does not exist on 8 March: open at the jump (03:00 EDT)
    FrequencyCapLimiter gap =
        limiter(CapPolicy.builder().quietHours(LocalTime.of(1, 0), LocalTime.of(2, 30)).build());
    assertThat(
            gap.whatIf(msg("a", NEW_YORK), Instant.parse("2026-03-08T06:30:00Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-03-08T07:00:00Z"));

    // ends at 01:30, which happens twice on 1 November
    FrequencyCapLimiter overlap =
        limiter(CapPolicy.builder().quietHours(LocalTime.of(0, 30), LocalTime.of(1, 30)).build());
    assertThat(
            overlap
                .whatIf(msg("a", NEW_YORK), Instant.parse("2026-11-01T05:15:00Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-11-01T05:30:00Z")); // 01:15 EDT -> 01:30 EDT
    assertThat(
            overlap.whatIf(msg("a", NEW_YORK), Instant.parse("2026-11-01T05:45:00Z")).isAllowed())
        .isTrue(); // 01:45 EDT
    assertThat(
            overlap
                .whatIf(msg("a", NEW_YORK), Instant.parse("2026-11-01T06:15:00Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-11-01T06:30:00Z")); // 01:15 EST -> 01:30 EST
  }

  @Test
  void sendWindowOpensAtLocalNineOnBothSides() {
    FrequencyCapLimiter l =
        limiter(
            CapPolicy.builder()
                .sendWindow(SendWindow.weekdays(LocalTime.of(9, 0), LocalTime.of(17, 0)))
                .build());
    // Saturday 7 March -> Monday 9 March 09:00 EDT = 13:00Z
    assertThat(
            l.whatIf(msg("a", NEW_YORK), Instant.parse("2026-03-07T15:00:00Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-03-09T13:00:00Z"));
    // Saturday 31 October -> Monday 2 November 09:00 EST = 14:00Z
    assertThat(
            l.whatIf(msg("a", NEW_YORK), Instant.parse("2026-10-31T15:00:00Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-11-02T14:00:00Z"));
    // Tokyo: Saturday 7 March -> Monday 9 March 09:00 JST = 8 March 24:00Z
    assertThat(
            l.whatIf(msg("t", TOKYO), Instant.parse("2026-03-07T03:00:00Z"))
                .notBefore()
                .orElseThrow())
        .isEqualTo(Instant.parse("2026-03-09T00:00:00Z"));
  }
}
