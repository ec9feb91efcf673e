package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DAU/MAU counts 30 calendar days in the account's zone, so a window holding a 25-hour day (the end
 * of summer time) still starts at midnight of its first day.
 */
class UsageMetricsDstTest {

  private static Instant local(String dateTime, ZoneId zone) {
    return LocalDateTime.parse(dateTime).atZone(zone).toInstant();
  }

  @Test
  void newYorkWindowOverTheNovemberChangeKeepsTheFirstHourOfItsFirstDay() {
    ZoneId zone = ZoneId.of("America/New_York");
    // 30 days ending on 20 November are 22 October .. 20 November; 1 November has 25 hours
    Instant asOf = local("2026-11-20T23:30", zone);
    List<Instant> ann = List.of(local("2026-10-22T00:10", zone), local("2026-11-20T09:00", zone));

    // ann is active on 2 of the 30 days and is the only monthly user: 2 / 30 / 1
    assertThat(UsageMetrics.dauOverMau(Map.of("ann", ann), asOf, zone))
        .isCloseTo(2 / 30.0, within(1e-12));
  }

  @Test
  void berlinWindowOverTheOctoberChangeKeepsTheFirstHourOfItsFirstDay() {
    ZoneId zone = ZoneId.of("Europe/Berlin");
    // 30 days ending on 10 November are 12 October .. 10 November; 25 October has 25 hours
    Instant asOf = local("2026-11-10T23:59:59", zone);
    List<Instant> ann = List.of(local("2026-10-12T00:00", zone), local("2026-11-10T12:00", zone));
    List<Instant> bob = List.of(local("2026-10-12T00:45", zone));
    // before the window: the last minute of 11 October
    List<Instant> cid = List.of(local("2026-10-11T23:59", zone));

    // ann 2 days + bob 1 day over 30 days, shared by 2 monthly users
    assertThat(UsageMetrics.dauOverMau(Map.of("ann", ann, "bob", bob, "cid", cid), asOf, zone))
        .isCloseTo(3 / 30.0 / 2, within(1e-12));
  }
}
