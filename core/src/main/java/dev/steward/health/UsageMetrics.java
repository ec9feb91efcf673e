package dev.steward.health;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Computes the product-usage inputs of {@link BuiltInMeasures} from raw activity. */
public final class UsageMetrics {
  private UsageMetrics() {}

  /**
   * Distinct calendar days, in the account's zone, with any activity among the {@code days} days
   * ending with the day of {@code asOf} (for {@link BuiltInMeasures#ACTIVE_DAYS_14}, days = 14).
   */
  public static int activeDays(Collection<Instant> activity, Instant asOf, int days, ZoneId zone) {
    if (days < 1) {
      throw new IllegalArgumentException("days must be at least 1, got " + days);
    }
    LocalDate last = LocalDate.ofInstant(asOf, zone);
    LocalDate first = last.minusDays(days - 1L);
    Set<LocalDate> seen = new HashSet<>();
    for (Instant t : activity) {
      if (t.isAfter(asOf)) {
        continue;
      }
      LocalDate d = LocalDate.ofInstant(t, zone);
      if (!d.isBefore(first)) {
        seen.add(d);
      }
    }
    return seen.size();
  }

  /**
   * DAU/MAU: the mean number of distinct active users per day over the 30 calendar days, in the
   * account's zone, ending with the day of {@code asOf} (activity after {@code asOf} is ignored),
   * divided by the distinct active users of those 30 days; NaN with no active user.
   *
   * @param activity each user's activity times
   */
  public static <U> double dauOverMau(
      Map<U, ? extends Collection<Instant>> activity, Instant asOf, ZoneId zone) {
    LocalDate last = LocalDate.ofInstant(asOf, zone);
    LocalDate first = last.minusDays(29);
    int monthly = 0;
    long userDays = 0;
    // The window is cut by local date only: 30 x 24 h before asOf would miss the start of the
    // first day whenever the window holds a 25-hour day (the end of summer time).
    for (Collection<Instant> times : activity.values()) {
      Set<LocalDate> days = new HashSet<>();
      for (Instant t : times) {
        if (t.isAfter(asOf)) {
          continue;
        }
        LocalDate d = LocalDate.ofInstant(t, zone);
        if (!d.isBefore(first)) {
          days.add(d);
        }
      }
      if (!days.isEmpty()) {
        monthly++;
        userDays += days.size();
      }
    }
    return monthly == 0 ? Double.NaN : (userDays / 30.0) / monthly;
  }

  /** Licence activation: seats used over seats bought, capped at 1; NaN when none were bought. */
  public static double licenceActivation(int seatsUsed, int seatsBought) {
    if (seatsUsed < 0 || seatsBought < 0) {
      throw new IllegalArgumentException(
          "seats must not be negative, got " + seatsUsed + " used of " + seatsBought);
    }
    return seatsBought == 0 ? Double.NaN : Math.min(1, (double) seatsUsed / seatsBought);
  }
}
