package dev.steward.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of the evaluator's decisions: every phrase that names a metric, value, threshold,
 * window or volume is built here, so that {@link StandingDecider} reads as the ladder's rules
 * alone.
 */
final class Explanations {
  private Explanations() {}

  /** The breaches of the rung {@code level}, explained, joined by "; ". */
  static String explainAt(List<Breach> breaches, Level level) {
    List<String> parts = new ArrayList<>();
    for (Breach b : breaches) {
      if (b.level() == level) {
        parts.add(b.explain());
      }
    }
    return String.join("; ", parts);
  }

  /** The highest breaches, as a suffix, for a decision that does not act on them. */
  static String seen(List<Breach> breaches) {
    return breaches.isEmpty()
        ? ""
        : "; metrics seen: " + explainAt(breaches, breaches.get(0).level());
  }

  /** The delivered mail in every window read. */
  static String volumes(List<WindowReading> readings) {
    List<String> parts = new ArrayList<>();
    for (WindowReading r : readings) {
      parts.add(r.counts().delivered() + " delivered over " + r.window().label());
    }
    return String.join(", ", parts);
  }

  static String overrideEnded(HumanOverride o, Instant now) {
    return "override by " + o.by() + " ended at " + o.until().orElse(now);
  }

  /**
   * What a run-out override returns to: the metrics' level when they can be judged, else the level
   * before the override; a termination a human made before stays.
   */
  /**
   * Where an ended override returns to: {@code before} (its {@link HumanOverride#resumeTo}) when it
   * is a termination, when the metrics cannot be judged or when they call for more ({@code
   * computed}, escalated to next), else the level the metrics call for.
   */
  static String resumed(Level resume, Level before, Level computed, boolean judged) {
    if (before == Level.TERMINATE) {
      return ", back to terminate, the standing before the override";
    }
    if (!judged) {
      return ", back to "
          + resume.jsonName()
          + ", the standing before the override (too little mail to judge)";
    }
    String metrics = ", back to the computed standing: " + computed.jsonName() + " by the metrics";
    return computed.isAbove(before)
        ? metrics
            + ", an escalation from "
            + before.jsonName()
            + ", the standing before the override"
        : metrics;
  }

  static String overrideInForce(HumanOverride o, List<Breach> breaches) {
    return "override by " + o.by() + " in force (" + o.reason() + ")" + seen(breaches);
  }

  static String overridden(String by, String reason) {
    return "override by " + by + ": " + reason;
  }

  static String overrideCleared(String by, String reason) {
    return "override cleared by " + by + ": " + reason;
  }

  static String terminated() {
    return "terminated by a human; evaluation changes nothing";
  }

  static String heldForReview(Level level) {
    return level.jsonName()
        + " held for a termination review: neither clean mail nor time lifts it; a human decides";
  }

  static String expiredTooLittleMail(Level level, Instant expiredAt, List<WindowReading> readings) {
    return level.jsonName()
        + " expired at "
        + expiredAt
        + " unrenewed (too little mail to judge: "
        + volumes(readings)
        + ")";
  }

  static String insufficientData(List<WindowReading> readings, long minimumDelivered) {
    return "insufficient data: "
        + volumes(readings)
        + " below the minimum of "
        + minimumDelivered
        + " delivered";
  }

  static String terminationReview(long count, Level repeatLevel, Duration within) {
    return "; escalation "
        + count
        + " to "
        + repeatLevel.jsonName()
        + " or above within "
        + within.toDays()
        + " days calls for a termination review: sending"
        + " suspended until a human decides";
  }

  static String goodStanding(List<WindowReading> readings) {
    return "in good standing: every metric below its warn threshold (" + volumes(readings) + ")";
  }

  static String stillAt(Level level, List<Breach> breaches) {
    return "still at " + level.jsonName() + ": " + explainAt(breaches, level);
  }

  /** What the metrics call for when that is below the current level. */
  static String metricsNow(Level target, List<Breach> breaches) {
    return target == Level.NONE
        ? "every metric below its warn threshold"
        : "metrics call for " + target.jsonName() + " (" + explainAt(breaches, target) + ")";
  }

  static String cleanSince(Instant clean, Duration stepDownAfter, String metricsNow) {
    return "clean since " + clean + " (" + stepDownAfter.toDays() + " days): " + metricsNow;
  }

  static String expired(Level level, Instant expiredAt, String metricsNow) {
    return level.jsonName() + " expired at " + expiredAt + " unrenewed: " + metricsNow;
  }

  static String waitingToStepDown(String metricsNow, Instant clean, Duration stepDownAfter) {
    return metricsNow
        + "; clean since "
        + clean
        + ", a step down needs "
        + stepDownAfter.toDays()
        + " days";
  }
}
