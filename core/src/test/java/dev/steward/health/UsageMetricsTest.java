package dev.steward.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageMetricsTest {
  static final Instant AS_OF = Instant.parse("2026-03-15T12:00:00Z");

  @Test
  void activeDaysCountsDistinctDaysInTheAccountsZone() {
    List<Instant> activity =
        List.of(
            AS_OF.minus(Duration.ofHours(1)),
            AS_OF.minus(Duration.ofHours(2)), // same day
            AS_OF.minus(Duration.ofDays(13)), // first day of the 14
            AS_OF.minus(Duration.ofDays(14)), // outside
            AS_OF.plus(Duration.ofHours(1))); // future
    assertThat(UsageMetrics.activeDays(activity, AS_OF, 14, ZoneOffset.UTC)).isEqualTo(2);
    // 2026-03-15T01:30Z is still the 14th in New York (UTC-4 after the DST change on 8 March)
    List<Instant> night = List.of(Instant.parse("2026-03-15T01:30:00Z"), Instant.parse("2026-03-15T11:00:00Z"));
    assertThat(UsageMetrics.activeDays(night, AS_OF, 14, ZoneOffset.UTC)).isEqualTo(1);
    assertThat(UsageMetrics.activeDays(night, AS_OF, 14, ZoneId.of("America/New_York"))).isEqualTo(2);
  }

  @Test
  void dauOverMauIsTheMeanDailyShareOfMonthlyUsers() {
    // ann active 30 of 30 days, bob 6 days: DAU = 36/30 = 1.2, MAU = 2 -> 0.6
    List<Instant> ann = new java.util.ArrayList<>();
    for (int d = 0; d < 30; d++) {
      ann.add(AS_OF.minus(Duration.ofDays(d)));
    }
    List<Instant> bob = List.of(0, 1, 2, 3, 4, 5).stream().map(d -> AS_OF.minus(Duration.ofDays(d))).toList();
    assertThat(UsageMetrics.dauOverMau(Map.of("ann", ann, "bob", bob), AS_OF, ZoneOffset.UTC))
        .isCloseTo(0.6, within(1e-12));
    assertThat(UsageMetrics.dauOverMau(Map.<String, List<Instant>>of(), AS_OF, ZoneOffset.UTC)).isNaN();
  }

  @Test
  void licenceActivationIsCappedAndUndefinedWithoutSeats() {
    assertThat(UsageMetrics.licenceActivation(30, 40)).isEqualTo(0.75);
    assertThat(UsageMetrics.licenceActivation(50, 40)).isEqualTo(1);
    assertThat(UsageMetrics.licenceActivation(0, 0)).isNaN();
  }
}
