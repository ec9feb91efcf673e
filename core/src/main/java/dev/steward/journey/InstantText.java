package dev.steward.journey;

import java.time.Instant;

/**
 * The text of an instant exactly as {@link Instant#toString} writes it, made without a formatter
 * for the years 0 to 9999 (mem5): every wait step writes its end into its history entry ("until
 * ...") and the in-memory store writes the due time again to find it there, and the JDK's formatter
 * (its print context, builder and field lookups) cost a fortieth of a cadence's step. Other years,
 * which the JDK writes with a sign or more digits, are left to it.
 */
final class InstantText {
  private InstantText() {}

  private static final int SECONDS_PER_DAY = 86_400;

  /** Days from 0000-03-01 to 1970-01-01, the shift of the civil-from-days computation below. */
  private static final long DAYS_0000_03_01_TO_EPOCH = 719_468;

  private static final long DAYS_PER_400_YEARS = 146_097;

  /** {@code t.toString()}. */
  static String of(Instant t) {
    long seconds = t.getEpochSecond();
    long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
    int secondOfDay = Math.floorMod(seconds, SECONDS_PER_DAY);
    // the proleptic Gregorian date of an epoch day, counted in eras of 400 years from 0000-03-01
    // (so that the leap day ends a year): the algorithm LocalDate.ofEpochDay uses, without objects
    long z = days + DAYS_0000_03_01_TO_EPOCH;
    long era = Math.floorDiv(z, DAYS_PER_400_YEARS);
    long dayOfEra = z - era * DAYS_PER_400_YEARS;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long shiftedMonth = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
    int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
      return t.toString();
    }
    int nano = t.getNano();
    StringBuilder b = new StringBuilder(30);
    digits(b, (int) year, 4);
    b.append('-');
    digits(b, month, 2);
    b.append('-');
    digits(b, day, 2);
    b.append('T');
    digits(b, secondOfDay / 3600, 2);
    b.append(':');
    digits(b, secondOfDay / 60 % 60, 2);
    b.append(':');
    digits(b, secondOfDay % 60, 2);
    if (nano > 0) {
      // as the JDK writes it: the fraction in groups of three digits, as many as it needs
      b.append('.');
      if (nano % 1_000_000 == 0) {
        digits(b, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        digits(b, nano / 1_000, 6);
      } else {
        digits(b, nano, 9);
      }
    }
    return b.append('Z').toString();
  }

  /** Appends {@code value} (not negative) in {@code width} digits, zeros first. */
  private static void digits(StringBuilder b, int value, int width) {
    int at = b.length();
    b.setLength(at + width);
    for (int i = at + width - 1; i >= at; i--) {
      b.setCharAt(i, (char) ('0' + value % 10));
      value /= 10;
    }
  }
}
