package dev.steward.calendar;

import dev.steward.calendar.internal.CalendarChecks;
import java.util.Optional;

/**
 * What a {@link CalendarStore#update} function answers: its result, and the entry to write under
 * the lock, if any.
 *
 * @param <R> the result's type
 */
public final class CalendarChange<R> {
  private final R result;
  private final CalendarEntry write;

  private CalendarChange(R result, CalendarEntry write) {
    this.result = result;
    this.write = write;
  }

  /** A result that writes nothing. */
  public static <R> CalendarChange<R> unchanged(R result) {
    return new CalendarChange<>(result, null);
  }

  /** A result that writes {@code entry} (adding it, or replacing the tenant's entry of its id). */
  public static <R> CalendarChange<R> write(R result, CalendarEntry entry) {
    return new CalendarChange<>(result, CalendarChecks.notNull(entry, "entry"));
  }

  /** The answer {@link CalendarStore#update} returns. */
  public R result() {
    return result;
  }

  /** The entry to write; empty when nothing is written. */
  public Optional<CalendarEntry> write() {
    return Optional.ofNullable(write);
  }
}
