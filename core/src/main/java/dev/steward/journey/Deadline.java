package dev.steward.journey;

import java.time.Duration;
import java.time.LocalTime;

/**
 * When a send or task step stops being worth doing: a step reached after its deadline, or whose
 * message the caps defer past it, is skipped with the reason in the enrolment's history, and the
 * journey goes on (a send to its next step, a task down its overdue path). A renewal reminder after
 * the renewal date is noise.
 *
 * <p>Either a time after the contact entered the journey ({@link #afterEntry}), or a time on a date
 * attribute of the contact moved by a number of days ({@link #fromDate}), in the contact's zone. A
 * deadline is checked when its journey is made: one that falls before the step can be reached is
 * refused, naming the step.
 */
public sealed interface Deadline {

  /**
   * A deadline {@code after} the enrolment entered the journey.
   *
   * @param after more than zero and at most {@link Step.Wait#MAX}
   */
  record AfterEntry(Duration after) implements Deadline {
    public AfterEntry {
      InvalidJourneyException.requireNonNull(after, "deadline after entry");
      if (after.isNegative() || after.isZero() || after.compareTo(Step.Wait.MAX) > 0) {
        throw new InvalidJourneyException(
            "a deadline after entry is more than 0 and at most "
                + Step.Wait.MAX
                + ", was "
                + after);
      }
    }

    @Override
    public String toString() {
      return after + " after entry";
    }
  }

  /**
   * A deadline at {@code time} on the contact's date attribute ({@code 2026-09-30}) moved by {@code
   * offsetDays}, in the contact's zone. A contact without the attribute, or with one that is not a
   * date, or without a zone, has no deadline on the step.
   *
   * @param time the local time on that day; 00:00 (the day's start) unless given
   */
  record FromDate(String attribute, int offsetDays, LocalTime time) implements Deadline {
    public FromDate {
      if (attribute == null || attribute.isBlank() || attribute.length() > 200) {
        throw new InvalidJourneyException(
            "the attribute of a date deadline must be 1 to 200 characters, was " + attribute);
      }
      if (Math.abs((long) offsetDays) > Step.MAX_OFFSET_DAYS) {
        throw new InvalidJourneyException(
            "a date deadline has the offset "
                + offsetDays
                + " days; offsets lie within "
                + Step.MAX_OFFSET_DAYS
                + " days of the date");
      }
      time = time == null ? LocalTime.MIDNIGHT : time;
    }

    /** The deadline's place relative to its date, in minutes, for comparing with waits. */
    long minutesFromDate() {
      return offsetDays * 1440L + time.getHour() * 60L + time.getMinute();
    }

    @Override
    public String toString() {
      return attribute + (offsetDays >= 0 ? " +" : " ") + offsetDays + " days at " + time;
    }
  }

  /** A deadline {@code after} the enrolment entered the journey. */
  static Deadline afterEntry(Duration after) {
    return new AfterEntry(after);
  }

  /** A deadline at the start of the day of the date attribute moved by {@code offsetDays}. */
  static Deadline fromDate(String attribute, int offsetDays) {
    return new FromDate(attribute, offsetDays, LocalTime.MIDNIGHT);
  }

  /** A deadline at {@code time} on the date attribute moved by {@code offsetDays}. */
  static Deadline fromDate(String attribute, int offsetDays, LocalTime time) {
    return new FromDate(attribute, offsetDays, time);
  }
}
