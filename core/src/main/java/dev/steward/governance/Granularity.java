package dev.steward.governance;

import java.time.Instant;

/** The size of a {@link GovernanceMetricsStore}'s time buckets: UTC hours or UTC days. */
public enum Granularity {
  /** One bucket per UTC hour: the 24-hour spike window reads these. */
  HOUR(3_600),
  /** One bucket per UTC day: the 7-day window reads these. */
  DAY(86_400);

  private final long seconds;

  Granularity(long seconds) {
    this.seconds = seconds;
  }

  /** The bucket's length in seconds. */
  public long seconds() {
    return seconds;
  }

  /** The index of the bucket holding {@code at}: whole buckets since the epoch. */
  public long index(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), seconds);
  }

  /** The start of the bucket holding {@code at}. */
  public Instant start(Instant at) {
    return Instant.ofEpochSecond(index(at) * seconds);
  }

  /** The index of the first bucket that starts at or after {@code at}. */
  public long ceilIndex(Instant at) {
    long sec = at.getEpochSecond();
    long idx = Math.floorDiv(sec, seconds);
    return Math.floorMod(sec, seconds) == 0 && at.getNano() == 0 ? idx : idx + 1;
  }

  /** The start of the bucket with that index. */
  public Instant startOf(long index) {
    return Instant.ofEpochSecond(index * seconds);
  }
}
