package dev.steward.frequency;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/** Local-time arithmetic on epoch seconds, careful about DST gaps and overlaps. */
final class ZoneMath {
  private ZoneMath() {}

  static int secondOfDay(long localEpochSecond) {
    return (int) Math.floorMod(localEpochSecond, 86_400L);
  }

  static LocalDate date(long localEpochSecond) {
    return LocalDate.ofEpochDay(Math.floorDiv(localEpochSecond, 86_400L));
  }

  /**
   * The first instant at or after which the local clock reads {@code date}T{@code time} or later:
   * the earlier occurrence in an overlap (the later one if the earlier is before {@code
   * notBefore}), the transition itself in a gap.
   */
  static long instantOf(LocalDate date, LocalTime time, ZoneId zone, long notBefore) {
    LocalDateTime ldt = date.atTime(time);
    ZoneRules rules = zone.getRules();
    ZoneOffsetTransition tr = rules.getTransition(ldt);
    if (tr != null && tr.isGap()) {
      return tr.getInstant().getEpochSecond();
    }
    ZonedDateTime zdt = ZonedDateTime.ofLocal(ldt, zone, null);
    long s = zdt.toEpochSecond();
    if (s < notBefore) {
      long later = zdt.withLaterOffsetAtOverlap().toEpochSecond();
      if (later >= notBefore) {
        return later;
      }
    }
    return s;
  }

  /** Start of the local day {@code date} (the transition if midnight is skipped). */
  static long startOfDay(LocalDate date, ZoneId zone) {
    return date.atStartOfDay(zone).toEpochSecond();
  }
}
