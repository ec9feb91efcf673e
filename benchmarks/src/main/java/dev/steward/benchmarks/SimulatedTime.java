package dev.steward.benchmarks;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that moves one minute every {@link #OPS_PER_MINUTE} decisions, read by Steward as a {@link
 * Clock} and by Bucket4j as a {@link TimeMeter}, so windows roll during a run and both sides see
 * the same instants.
 */
public final class SimulatedTime {

  /**
   * Decisions per simulated minute. With 100,000 contacts this gives each contact about 1.6
   * attempts per week: enough for the 2-per-7-days and 8-per-30-days caps and the daily category
   * cap to refuse a share of the attempts, not so many that almost everything is refused.
   */
  public static final long OPS_PER_MINUTE = 16;

  /** A Monday morning, UTC; quiet hours start later the same day. */
  public static final Instant START = Instant.parse("2026-01-05T08:00:00Z");

  private static final long MINUTE_MILLIS = 60_000L;

  private final AtomicLong ops = new AtomicLong();
  private final long startMillis = START.toEpochMilli();

  /** Counts one decision; every {@link #OPS_PER_MINUTE} of them move time by a minute. */
  public void tick() {
    ops.incrementAndGet();
  }

  /** The current simulated time in epoch milliseconds. */
  public long millis() {
    return startMillis + (ops.get() / OPS_PER_MINUTE) * MINUTE_MILLIS;
  }

  /** The simulated time as a clock in UTC. */
  public Clock clock() {
    return new SimulatedClock(this, ZoneOffset.UTC);
  }

  /** The simulated time as a Bucket4j time meter (nanoseconds since the epoch). */
  public TimeMeter timeMeter() {
    return new TimeMeter() {
      @Override
      public long currentTimeNanos() {
        return millis() * 1_000_000L;
      }

      @Override
      public boolean isWallClockBased() {
        return true;
      }
    };
  }

  private static final class SimulatedClock extends Clock {
    private final SimulatedTime time;
    private final ZoneId zone;

    SimulatedClock(SimulatedTime time, ZoneId zone) {
      this.time = time;
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new SimulatedClock(time, zone);
    }

    @Override
    public long millis() {
      return time.millis();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(time.millis());
    }
  }
}
