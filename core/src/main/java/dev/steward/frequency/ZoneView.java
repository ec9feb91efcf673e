package dev.steward.frequency;

import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * One recipient zone as the limiter reads it, kept per zone across decisions: the offset span
 * around the instants last asked about (so local time is one addition, not a search of the zone's
 * transitions), the calendar period bounds, and the reason texts that name the zone.
 *
 * <p>Every cached value is an immutable object in a plain field, checked before use: threads that
 * race at worst compute the same value twice.
 */
final class ZoneView {
  final ZoneId zone;
  final ZoneRules rules;

  /** Per quiet-hours rule: "quiet hours 21:00-08:00 recipient time (Europe/Berlin)". */
  final String[] quietDetails;

  /** Per send-window rule, its reason text for this zone. */
  final String[] windowDetails;

  /** The reasons of each quiet-hours and send-window rule when it allows (immutable, so shared). */
  final Reason[] quietAllows;

  final Reason[] windowAllows;

  private final Bounds[] bounds = new Bounds[CalendarPeriod.values().length];

  /**
   * The two spans last computed, newest first: two, because near a transition the decisions at now
   * and the deferrals past the transition would otherwise evict each other's span.
   */
  private Span span;

  private Span previousSpan;

  /** A view with no local-time rules (tests of the zone arithmetic). */
  ZoneView(ZoneId zone) {
    this(zone, new QuietHours[0], new String[0], new SendWindow[0], new String[0]);
  }

  /** A view of the quiet hours and send windows given, each with its rule id. */
  ZoneView(
      ZoneId zone,
      QuietHours[] quiets,
      String[] quietIds,
      SendWindow[] windows,
      String[] windowIds) {
    this.zone = zone;
    this.rules = zone.getRules();
    this.quietDetails = new String[quiets.length];
    this.quietAllows = new Reason[quiets.length];
    for (int i = 0; i < quiets.length; i++) {
      quietDetails[i] = "quiet hours " + quiets[i] + " recipient time (" + zone.getId() + ")";
      quietAllows[i] = allow(quietIds[i], quietDetails[i]);
    }
    this.windowDetails = new String[windows.length];
    this.windowAllows = new Reason[windows.length];
    for (int i = 0; i < windows.length; i++) {
      windowDetails[i] = "send window " + windows[i] + " recipient time (" + zone.getId() + ")";
      windowAllows[i] = allow(windowIds[i], windowDetails[i]);
    }
  }

  private static Reason allow(String rule, String detail) {
    return Reason.of(DefaultFrequencyCapLimiter.GATE, rule, Outcome.ALLOW, detail, null, null);
  }

  /**
   * The instants [start, end) around one instant over which the zone's offset does not change: from
   * the last transition at or before it to the first after it.
   */
  record Span(long start, long end, int offset) {
    boolean contains(long t) {
      return t >= start && t < end;
    }
  }

  /** The span holding {@code epochSecond}. */
  Span spanAt(long epochSecond) {
    Span s = span;
    if (s != null && s.contains(epochSecond)) {
      return s;
    }
    Span p = previousSpan;
    if (p != null && p.contains(epochSecond)) {
      return p;
    }
    Span fresh = span(rules, epochSecond);
    previousSpan = s;
    span = fresh;
    return fresh;
  }

  /** Computes the span holding {@code t} from the zone's transitions. */
  static Span span(ZoneRules rules, long t) {
    if (rules.isFixedOffset()) {
      return new Span(
          Long.MIN_VALUE, Long.MAX_VALUE, rules.getOffset(Instant.EPOCH).getTotalSeconds());
    }
    Instant at = Instant.ofEpochSecond(t);
    int offset = rules.getOffset(at).getTotalSeconds();
    // previousTransition is strictly before its argument, nextTransition strictly after
    ZoneOffsetTransition previous =
        t < Instant.MAX.getEpochSecond()
            ? rules.previousTransition(Instant.ofEpochSecond(t + 1))
            : null;
    ZoneOffsetTransition next = rules.nextTransition(at);
    return new Span(
        previous == null ? Long.MIN_VALUE : previous.toEpochSecond(),
        next == null ? Long.MAX_VALUE : next.toEpochSecond(),
        offset);
  }

  /** Local epoch second (the epoch second shifted by the zone's offset at that instant). */
  long local(long epochSecond) {
    return epochSecond + spanAt(epochSecond).offset;
  }

  /**
   * As {@link ZoneMath#instantOf} for the local date-time {@code localTarget} (a local epoch
   * second). When the instant the offset at {@code notBefore} gives lies in that offset's own span
   * and not before {@code notBefore}, it is the answer: the local time exists there (no gap), and
   * any other instant with the same local time lies in another span, so before {@code notBefore}
   * (the overlap's earlier occurrence, which {@link ZoneMath#instantOf} passes over) or after this
   * one (then this one is the earlier occurrence, which it returns). Otherwise it asks ZoneMath.
   */
  long instantOf(long localTarget, long notBefore) {
    Span s = spanAt(notBefore);
    long candidate = localTarget - s.offset;
    if (candidate >= notBefore && candidate < s.end) {
      return candidate;
    }
    return ZoneMath.instantOf(
        ZoneMath.date(localTarget),
        LocalTime.ofSecondOfDay(ZoneMath.secondOfDay(localTarget)),
        zone,
        notBefore);
  }

  /** The start and end of the calendar period holding {@code t}. */
  Bounds bounds(CalendarPeriod p, long t) {
    Bounds b = bounds[p.ordinal()];
    if (b != null && t >= b.start && t < b.end) {
      return b;
    }
    LocalDate first = p.firstDate(ZoneMath.date(local(t)));
    b =
        new Bounds(
            ZoneMath.startOfDay(first, zone), ZoneMath.startOfDay(p.nextFirstDate(first), zone));
    bounds[p.ordinal()] = b;
    return b;
  }

  /** One calendar period's [start, end) in epoch seconds. */
  record Bounds(long start, long end) {}
}
