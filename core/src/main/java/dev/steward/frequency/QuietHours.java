package dev.steward.frequency;

import java.time.LocalTime;

/**
 * Local times at which no capped message goes out, read in the recipient's zone: [start, end); the
 * span may cross midnight (21:00 to 08:00).
 */
public record QuietHours(LocalTime start, LocalTime end) {
  public QuietHours {
    if (start == null || end == null) {
      throw new InvalidPolicyException("quietHours: start and end must not be null");
    }
    if (start.getNano() != 0 || end.getNano() != 0) {
      throw new InvalidPolicyException("quietHours: start and end must be whole seconds");
    }
    if (start.equals(end)) {
      throw new InvalidPolicyException("quietHours: start and end must differ, both were " + start);
    }
  }

  /** True when the local time-of-day {@code secondOfDay} is quiet. */
  boolean isQuiet(int secondOfDay) {
    int s = start.toSecondOfDay();
    int e = end.toSecondOfDay();
    return s < e ? secondOfDay >= s && secondOfDay < e : secondOfDay >= s || secondOfDay < e;
  }

  @Override
  public String toString() {
    return start + "-" + end;
  }
}
