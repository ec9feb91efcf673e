package dev.steward.benchmarks;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Journey steps executed per second in memory on one thread, each a send through Steward's full
 * pipeline (consent and suppressions, caps with the benchmark's shapes and limits no run reaches,
 * the delivery ledger's intent and mark, journey analytics, metrics) to a counting transport.
 *
 * <p>Each invocation gets a fresh {@link Steward} over {@link Stores#inMemory} and a {@link
 * SettableClock}, with {@value #STEPS} sends' worth of contacts enrolled outside the measurement;
 * the measurement is {@link Steward#runDue()} on the benchmark thread, and for {@code cadence} the
 * clock moved a day between the sends:
 *
 * <ul>
 *   <li>{@code one-send}: {@value #STEPS} contacts in a journey of one send step (one work item
 *       run, one send each);
 *   <li>{@code cadence}: {@value #STEPS}/3 contacts in a journey of three sends spaced by waits of
 *       a day ({@code s0, w0, s1, w1, s2}): each wake-up sends and starts the next wait, and the
 *       clock moves a day twice (Steward's recurring sweeps and purges come due then and run too).
 * </ul>
 *
 * <p>The steps run as {@link JourneyScheduler#registerWith} registers them by default, which over
 * these in-memory stores is each step alone ({@code -p steps=batch,single} compares the two).
 *
 * <p>A score counts sends (steps that dispatched a message), not work items or wait steps. The
 * invocation's teardown checks that every (contact, send step) reached the transport exactly once
 * and, for a sample of contacts, that their enrolment completed.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(JourneyStepBenchmark.STEPS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Threads(1)
@State(Scope.Thread)
public class JourneyStepBenchmark {

  /** Sends per invocation. */
  static final int STEPS = 30_000;

  static final Instant START = Instant.parse("2026-01-05T08:00:00Z");

  static final JourneyDefinition CADENCE =
      JourneyFixture.sends("bench-cadence", 3, Optional.of(Duration.ofDays(1)));

  /** The journey's shape: {@code one-send} or {@code cadence} (see the class comment). */
  @Param({"one-send", "cadence"})
  public String shape;

  /**
   * How the steps run: {@code default} (the default registration: over these in-memory stores, each
   * step alone), or {@code batch} or {@code single}, for comparison: {@code -p steps=batch,single}.
   */
  @Param({"default"})
  public String steps;

  private SettableClock clock;
  private Steward steward;
  private JourneyFixture.Tally transport;
  private int contacts;
  private int sends;
  private JourneyDefinition journey;

  /** The journey of the shape. */
  @Setup(Level.Trial)
  public void shape() {
    switch (shape) {
      case "one-send" -> {
        journey = JourneyFixture.ONE_SEND;
        sends = 1;
      }
      case "cadence" -> {
        journey = CADENCE;
        sends = 3;
      }
      default -> throw new IllegalArgumentException("unknown shape " + shape);
    }
    contacts = STEPS / sends;
  }

  /** A fresh Steward in memory with every contact enrolled, its first send due now. */
  @Setup(Level.Invocation)
  public void enrol() {
    clock = SettableClock.of(START, ZoneOffset.UTC);
    transport = new JourneyFixture.Tally(contacts, sends);
    steward =
        JourneyFixture.steward(
            clock,
            Stores.inMemory(clock),
            transport,
            r -> r.owner("bench"),
            JourneyFixture.batchSteps(steps),
            journey);
    JourneyScheduler j = JourneyFixture.journeys(steward);
    for (int i = 0; i < contacts; i++) {
      j.putContact(JourneyFixture.profile(i));
      EnrolResult r = j.enrol(JourneyFixture.TENANT, JourneyFixture.contact(i), journey.id());
      if (r.status() != EnrolResult.Status.ENROLLED) {
        throw new IllegalStateException("contact " + i + " not enrolled: " + r);
      }
    }
    if (GC_AFTER_SETUP) {
      // the previous invocation's Steward and this set-up's garbage are collected here, not
      // inside the measurement: the enrolled contacts stand as a long-running process keeps them
      System.gc();
    }
  }

  /**
   * Whether each invocation's set-up ends with a full collection (default; {@code -jvmArgsAppend
   * -Dbench.gc=false} measures without, as the ninth and earlier sessions did).
   */
  static final boolean GC_AFTER_SETUP = !"false".equals(System.getProperty("bench.gc"));

  /** Runs every due step; for a cadence, moves the clock a day between the sends. */
  @Benchmark
  public long runSteps() {
    long ran = steward.runDue();
    for (int k = 1; k < sends; k++) {
      clock.advance(Duration.ofDays(1));
      ran += steward.runDue();
    }
    return ran;
  }

  /** Every step sent exactly once; a sample of enrolments completed. */
  @TearDown(Level.Invocation)
  public void verify() {
    transport.verifyExactlyOnce("journey " + shape);
    JourneyScheduler j = JourneyFixture.journeys(steward);
    for (int i = 0; i < contacts; i += Math.max(1, contacts / 100)) {
      for (Enrolment e : j.enrolments(JourneyFixture.TENANT, JourneyFixture.contact(i))) {
        if (e.state() != EnrolmentState.COMPLETED) {
          throw new IllegalStateException("enrolment " + e.id() + " is " + e.state());
        }
      }
    }
    steward.close();
  }
}
