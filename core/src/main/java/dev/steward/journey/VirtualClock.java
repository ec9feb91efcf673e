package dev.steward.journey;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock of one simulation run: stands still until the run moves it. One thread's (the run's);
 * journeys must not depend on {@code dev.steward.testing}, whose settable clock this mirrors.
 */
final class VirtualClock extends Clock {
  private Instant now;

  VirtualClock(Instant start) {
    this.now = start;
  }

  void set(Instant at) {
    this.now = at;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a simulation's clock is in UTC");
  }

  @Override
  public Instant instant() {
    return now;
  }
}
