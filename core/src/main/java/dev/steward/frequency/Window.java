package dev.steward.frequency;

import java.time.Duration;

/**
 * The window a cap counts over: either rolling (the last {@code length}, e.g. 7 days) or a calendar
 * period read in the recipient's time zone. Exactly one of the two is set.
 *
 * <p>Rolling semantics: at instant t a window of length W counts sends at e with t−W &lt; e ≤ t; a
 * send at e stops counting at e+W exactly. Calendar semantics: a window counts sends in [start,
 * nextStart). Times are whole seconds. A send recorded after t (an instance whose clock runs ahead)
 * counts in the rolling window at t as if it were at t.
 *
 * @param length the length of a rolling window, or null
 * @param period the calendar period, or null
 */
public record Window(Duration length, CalendarPeriod period) {
  /** The longest rolling window accepted. */
  public static final Duration MAX_LENGTH = Duration.ofDays(3660);

  public Window {
    if ((length == null) == (period == null)) {
      throw new InvalidPolicyException("window: give either a rolling length or a calendar period");
    }
    if (length != null) {
      if (length.isNegative() || length.isZero()) {
        throw new InvalidPolicyException("window: length must be positive, was " + length);
      }
      if (length.getNano() != 0) {
        throw new InvalidPolicyException("window: length must be whole seconds, was " + length);
      }
      if (length.compareTo(MAX_LENGTH) > 0) {
        throw new InvalidPolicyException("window: length must be at most " + MAX_LENGTH);
      }
    }
  }

  /** A rolling window of {@code length}. */
  public static Window rolling(Duration length) {
    if (length == null) {
      throw new InvalidPolicyException("window: length must not be null");
    }
    return new Window(length, null);
  }

  /** A calendar window. */
  public static Window calendar(CalendarPeriod period) {
    if (period == null) {
      throw new InvalidPolicyException("window: period must not be null");
    }
    return new Window(null, period);
  }

  /** The recipient's calendar day. */
  public static Window day() {
    return calendar(CalendarPeriod.DAY);
  }

  /** The recipient's ISO week, Monday to Sunday. */
  public static Window week() {
    return calendar(CalendarPeriod.WEEK);
  }

  /** The recipient's calendar month. */
  public static Window month() {
    return calendar(CalendarPeriod.MONTH);
  }

  /** The recipient's calendar quarter. */
  public static Window quarter() {
    return calendar(CalendarPeriod.QUARTER);
  }

  public boolean isRolling() {
    return length != null;
  }

  /**
   * The window as it is written in JSON and rule ids: an ISO duration for rolling windows ("P7D",
   * "PT36H") or the period's name ("DAY", "WEEK", "MONTH", "QUARTER").
   */
  public String label() {
    if (period != null) {
      return period.name();
    }
    long s = length.getSeconds();
    return s % 86_400 == 0 ? "P" + s / 86_400 + "D" : length.toString();
  }

  /** Parses {@link #label()}. */
  public static Window parse(String label, String field) {
    if (label == null || label.isBlank()) {
      throw new InvalidPolicyException(field + ": window must not be empty");
    }
    for (CalendarPeriod p : CalendarPeriod.values()) {
      if (p.name().equals(label)) {
        return calendar(p);
      }
    }
    Duration d;
    try {
      d = Duration.parse(label);
    } catch (RuntimeException e) {
      throw new InvalidPolicyException(
          field + ": '" + label + "' is neither DAY, WEEK, MONTH, QUARTER nor an ISO duration", e);
    }
    try {
      return rolling(d);
    } catch (InvalidPolicyException e) {
      throw new InvalidPolicyException(field + ": " + e.getMessage(), e);
    }
  }

  /** How far back this window can reach, in seconds. */
  long lookbackSeconds() {
    return length != null ? length.getSeconds() : period.maxDays() * 86_400L;
  }

  @Override
  public String toString() {
    return label();
  }
}
