package dev.steward.frequency;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The only local days and times at which capped messages go out, read in the recipient's zone: on
 * {@code days}, from {@code from} (inclusive) to {@code to} (exclusive), within one day.
 */
public record SendWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
  public SendWindow {
    if (days == null || days.isEmpty() || days.stream().anyMatch(Objects::isNull)) {
      throw new InvalidPolicyException("sendWindow: days must name at least one day");
    }
    days = Collections.unmodifiableSet(EnumSet.copyOf(days));
    if (from == null || to == null) {
      throw new InvalidPolicyException("sendWindow: from and to must not be null");
    }
    if (from.getNano() != 0 || to.getNano() != 0) {
      throw new InvalidPolicyException("sendWindow: from and to must be whole seconds");
    }
    if (!from.isBefore(to)) {
      throw new InvalidPolicyException(
          "sendWindow: from (" + from + ") must be before to (" + to + ")");
    }
  }

  /** Monday to Friday, from {@code from} to {@code to}. */
  public static SendWindow weekdays(LocalTime from, LocalTime to) {
    return new SendWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), from, to);
  }

  boolean isOpen(DayOfWeek day, int secondOfDay) {
    return days.contains(day)
        && secondOfDay >= from.toSecondOfDay()
        && secondOfDay < to.toSecondOfDay();
  }

  @Override
  public String toString() {
    return days + " " + from + "-" + to;
  }
}
