package dev.steward.jdbc;

import dev.steward.model.StoreLimits;
import java.time.Instant;

/**
 * How every JDBC store keeps an {@link Instant}: nanoseconds since the epoch in a BIGINT column.
 *
 * <p>Why not {@code timestamptz}: a BIGINT cannot be shifted by the session's or the JVM's time
 * zone, orders and indexes like a timestamp, reads the same on PostgreSQL and H2, and keeps an
 * Instant exactly (PostgreSQL timestamps keep microseconds only), so the JDBC stores pass the same
 * contract suite as the in-memory ones. The price is the range, 1677-09-21 to 2262-04-11: values
 * outside it are refused on write, and query bounds outside it are clamped onto its ends ({@link
 * #bound}). A value may be stored at an end, so a comparison with a clamped bound takes its
 * operator from {@link #before} or {@link #atOrAfter}, which answer as the unclamped bound would.
 * In SQL, {@code to_timestamp(col / 1e9)} shows a column as a time.
 */
final class EpochNanos {
  static final Instant MIN = StoreLimits.MIN_INSTANT;
  static final Instant MAX = StoreLimits.MAX_INSTANT;

  private EpochNanos() {}

  /** The column value of a stored instant; out of range fails, naming the field. */
  static long of(Instant value, String field) {
    Check.notNull(value, field);
    if (value.isBefore(MIN) || value.isAfter(MAX)) {
      throw new InvalidStoreInputException(
          field + " " + value + " is outside the storable range " + MIN + " to " + MAX);
    }
    return toNanos(value);
  }

  /** The column value of a query bound, clamped to the storable range. */
  static long bound(Instant value, String field) {
    Check.notNull(value, field);
    if (value.isBefore(MIN)) {
      return Long.MIN_VALUE;
    }
    if (value.isAfter(MAX)) {
      return Long.MAX_VALUE;
    }
    return toNanos(value);
  }

  /**
   * The SQL operator of "column before {@code bound}", to compare with {@link #bound}'s value:
   * {@code <}, or {@code <=} when the bound lies after the storable range, where it is clamped onto
   * the last storable instant and a value stored there is before it. (Before the range, {@code <}
   * onto the first instant finds nothing, as it should.)
   */
  static String before(Instant bound) {
    return bound.isAfter(MAX) ? "<=" : "<";
  }

  /**
   * The SQL operator of "column at or after {@code bound}", to compare with {@link #bound}'s value:
   * {@code >=}, or {@code >} when the bound lies after the storable range, where it is clamped onto
   * the last storable instant and a value stored there is before it.
   */
  static String atOrAfter(Instant bound) {
    return bound.isAfter(MAX) ? ">" : ">=";
  }

  static Instant toInstant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  private static long toNanos(Instant value) {
    long seconds = value.getEpochSecond();
    long nanos = value.getNano();
    if (seconds < 0 && nanos > 0) {
      // borrow one second so that the product does not overflow at the very bottom of the range
      seconds += 1;
      nanos -= 1_000_000_000L;
    }
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
  }
}
