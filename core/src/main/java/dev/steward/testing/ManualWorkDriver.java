package dev.steward.testing;

import dev.steward.schedule.WorkRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Drives due work step by step in tests: move a {@link SettableClock} and run what is then due, on
 * the calling thread, completed before the call returns. Build the {@link WorkRunner} over the same
 * clock and do not start it.
 *
 * <pre>{@code
 * SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:00:00Z"));
 * WorkRunner runner = WorkRunner.builder(store, clock).handler(type, handler).build();
 * ManualWorkDriver driver = ManualWorkDriver.of(runner, clock);
 * driver.advance(Duration.ofDays(3)); // runs the day-3 step
 * }</pre>
 */
public final class ManualWorkDriver {
  private final WorkRunner runner;
  private final SettableClock clock;

  private ManualWorkDriver(WorkRunner runner, SettableClock clock) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A driver of {@code runner}, whose clock is {@code clock}. */
  public static ManualWorkDriver of(WorkRunner runner, SettableClock clock) {
    return new ManualWorkDriver(runner, clock);
  }

  /** Runs everything due now; the number of runs. */
  public int runDue() {
    return runner.runDue();
  }

  /** Moves the clock forward by {@code by}, then runs everything due; the number of runs. */
  public int advance(Duration by) {
    clock.advance(by);
    return runner.runDue();
  }

  /** Sets the clock to {@code at}, then runs everything due; the number of runs. */
  public int advanceTo(Instant at) {
    clock.set(at);
    return runner.runDue();
  }

  /** The clock the driver moves. */
  public SettableClock clock() {
    return clock;
  }
}
