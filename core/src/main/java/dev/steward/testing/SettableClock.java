package dev.steward.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until told to move, shipped so that users can test their own
 * policies and journeys deterministically. Thread-safe; a clock made by {@link #withZone} shares
 * this clock's time, so moving either moves both.
 */
public final class SettableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /** A clock standing at {@code start}, in UTC. */
  public static SettableClock of(Instant start) {
    return new SettableClock(start);
  }

  /** A clock standing at {@code start}, in {@code zone}. */
  public static SettableClock of(Instant start, ZoneId zone) {
    return new SettableClock(start, zone);
  }

  private SettableClock(Instant start) {
    this(start, ZoneOffset.UTC);
  }

  private SettableClock(Instant start, ZoneId zone) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), zone);
  }

  private SettableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /** Sets the time. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /** Moves the time forward (or back, for a negative duration); returns the new time. */
  public Instant advance(Duration by) {
    Objects.requireNonNull(by, "by");
    return now.updateAndGet(t -> t.plus(by));
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public SettableClock withZone(ZoneId zone) {
    return new SettableClock(now, zone);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public long millis() {
    return now.get().toEpochMilli();
  }
}
