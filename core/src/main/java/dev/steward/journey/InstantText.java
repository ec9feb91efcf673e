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
    char[] text = new char[LONGEST];
    int n = write(t.getEpochSecond(), t.getNano(), text);
    return n < 0 ? t.toString() : new String(text, 0, n);
  }

  /** The longest text {@link #write} writes: 0000-00-00T00:00:00.000000000Z. */
  static final int LONGEST = 30;

  /**
   * Writes the text of the instant {@code seconds} and {@code nano} after the epoch into {@code
   * into} (at least {@link #LONGEST} long) from its start; its length, or -1 (nothing written) for
   * a year the JDK writes with a sign or more digits.
   */
  static int write(long seconds, int nano, char[] into) {
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
      return -1;
    }
    int at = digits(into, 0, (int) year, 4);
    into[at++] = '-';
    at = digits(into, at, month, 2);
    into[at++] = '-';
    at = digits(into, at, day, 2);
    into[at++] = 'T';
    at = digits(into, at, secondOfDay / 3600, 2);
    into[at++] = ':';
    at = digits(into, at, secondOfDay / 60 % 60, 2);
    into[at++] = ':';
    at = digits(into, at, secondOfDay % 60, 2);
    if (nano > 0) {
      // as the JDK writes it: the fraction in groups of three digits, as many as it needs
      into[at++] = '.';
      if (nano % 1_000_000 == 0) {
        at = digits(into, at, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        at = digits(into, at, nano / 1_000, 6);
      } else {
        at = digits(into, at, nano, 9);
      }
    }
    into[at++] = 'Z';
    return at;
  }

  /** Writes {@code value} (not negative) in {@code width} digits, zeros first; where it ends. */
  private static int digits(char[] into, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      into[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }
}
