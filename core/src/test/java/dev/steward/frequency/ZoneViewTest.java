package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The zone view's cached offset spans against java.time itself: local time and the instant of a
 * local time must be exactly what {@link ZoneRules} and {@link ZoneMath} say, on and around every
 * kind of transition (gaps, overlaps, half-hour shifts, negative DST, zones that dropped DST).
 */
class ZoneViewTest {
  private static final List<ZoneId> ZONES =
      List.of(
          ZoneOffset.UTC,
          ZoneId.of("America/New_York"),
          ZoneId.of("Europe/Berlin"),
          ZoneId.of("America/Sao_Paulo"),
          ZoneId.of("Australia/Lord_Howe"),
          ZoneId.of("Europe/Dublin"),
          ZoneId.of("Asia/Tokyo"),
          ZoneId.of("Pacific/Apia"));

  private static final long FROM = Instant.parse("2010-01-01T00:00:00Z").getEpochSecond();
  private static final long TO = Instant.parse("2040-01-01T00:00:00Z").getEpochSecond();

  @Test
  void localTimeMatchesTheZoneRulesAtRandomInstantsAndAroundEveryTransition() {
    SplittableRandom random = new SplittableRandom(17);
    for (ZoneId zone : ZONES) {
      ZoneView view = new ZoneView(zone);
      for (long t : probes(zone, random)) {
        long expected = t + zone.getRules().getOffset(Instant.ofEpochSecond(t)).getTotalSeconds();
        assertThat(view.local(t)).as("%s at %s", zone, t).isEqualTo(expected);
        assertThat(ZoneView.span(zone.getRules(), t).contains(t)).isTrue();
      }
    }
  }

  @Test
  void instantOfMatchesZoneMathForLocalTimesInGapsOverlapsAndBetween() {
    SplittableRandom random = new SplittableRandom(29);
    for (ZoneId zone : ZONES) {
      ZoneView view = new ZoneView(zone);
      for (long notBefore : probes(zone, random)) {
        long local =
            notBefore
                + zone.getRules().getOffset(Instant.ofEpochSecond(notBefore)).getTotalSeconds();
        // local targets shortly before, at and after the local time of notBefore, on whole minutes
        for (long delta :
            new long[] {-7_200, -1_800, 0, 60, 1_800, 3_600, 5_400, 86_400, 3 * 86_400}) {
          long target = Math.floorDiv(local + delta, 60) * 60;
          LocalDate date = ZoneMath.date(target);
          LocalTime time = LocalTime.ofSecondOfDay(ZoneMath.secondOfDay(target));
          assertThat(view.instantOf(target, notBefore))
              .as("%s %sT%s not before %s", zone, date, time, notBefore)
              .isEqualTo(ZoneMath.instantOf(date, time, zone, notBefore));
        }
      }
    }
  }

  /** Random instants, plus instants within a few hours either side of every transition. */
  private static long[] probes(ZoneId zone, SplittableRandom random) {
    long[] out = new long[4_000];
    int n = 0;
    while (n < 1_000) {
      out[n++] = random.nextLong(FROM, TO);
    }
    ZoneOffsetTransition tr = zone.getRules().nextTransition(Instant.ofEpochSecond(FROM));
    while (tr != null && tr.toEpochSecond() < TO && n < out.length - 6) {
      long s = tr.toEpochSecond();
      for (long d : new long[] {-3_601, -1, 0, 1, 1_800, 3_599}) {
        out[n++] = s + d;
      }
      tr = zone.getRules().nextTransition(tr.getInstant());
    }
    // interleave far-apart instants so the view's cached span is replaced back and forth
    long[] probes = java.util.Arrays.copyOf(out, n);
    for (int i = probes.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long x = probes[i];
      probes[i] = probes[j];
      probes[j] = x;
    }
    return probes;
  }
}
