package dev.steward.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that stands still until told to move, shipped so that users can test their own
 * policies and journeys deterministically. Thread-safe.
 */
public final class SettableClock extends Clock {
  private volatile Instant now;
  private final ZoneId zone;

  public SettableClock(Instant start) {
    this(start, ZoneOffset.UTC);
  }

  public SettableClock(Instant start, ZoneId zone) {
    this.now = start;
    this.zone = zone;
  }

  /** Sets the time. */
  public void set(Instant instant) {
    this.now = instant;
  }

  /** Moves the time forward (or back, for a negative duration). */
  public synchronized Instant advance(Duration by) {
    now = now.plus(by);
    return now;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    SettableClock other = new SettableClock(now, zone);
    return other;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
