package dev.steward.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link JourneyStepBenchmark}'s shapes timed by the benchmark thread's CPU time and counted by its
 * allocated bytes instead of the wall clock: on a machine shared with other work, time spent
 * waiting for a core is not counted, so two versions can be compared there back to back (a quiet
 * machine's JMH run stays the figure of record). Each round sets up a fresh Steward with every
 * contact enrolled (not measured), then measures {@code runSteps()} and checks every step was sent
 * exactly once; prints the median over the measured rounds of CPU microseconds and bytes allocated
 * per send, and sends per CPU second.
 *
 * <p>Run: {@code java -Xms2g -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp
 * benchmarks/target/benchmarks.jar dev.steward.benchmarks.JourneyStepCpu [shape ...]} with {@code
 * -Drounds=N} (measured rounds, default 7), {@code -Dwarmup=N} (default 4) and {@code
 * -Dbench.steps=default|batch|single} (how the steps run; default: as registered by default, which
 * over these in-memory stores is each step alone).
 */
public final class JourneyStepCpu {
  private static final com.sun.management.ThreadMXBean CPU =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private JourneyStepCpu() {}

  /** Measures each shape named (default both). */
  public static void main(String[] args) {
    int rounds = Integer.getInteger("rounds", 7);
    int warmup = Integer.getInteger("warmup", 4);
    String[] shapes = args.length > 0 ? args : new String[] {"one-send", "cadence"};
    for (String shape : shapes) {
      JourneyStepBenchmark b = new JourneyStepBenchmark();
      b.shape = shape;
      b.steps = JourneyFixture.STEP_MODE;
      b.shape();
      List<Double> cpu = new ArrayList<>();
      List<Double> bytes = new ArrayList<>();
      for (int r = 0; r < warmup + rounds; r++) {
        b.enrol();
        long id = Thread.currentThread().getId();
        long a0 = CPU.getThreadAllocatedBytes(id);
        long t0 = CPU.getCurrentThreadCpuTime();
        long ran = b.runSteps();
        long t = CPU.getCurrentThreadCpuTime() - t0;
        long a = CPU.getThreadAllocatedBytes(id) - a0;
        b.verify();
        if (ran <= 0) {
          throw new IllegalStateException("nothing ran");
        }
        if (r >= warmup) {
          cpu.add(t / 1_000.0 / JourneyStepBenchmark.STEPS);
          bytes.add((double) a / JourneyStepBenchmark.STEPS);
        }
      }
      double us = median(cpu);
      System.out.printf(
          "%-9s %6.2f us CPU per send (min %.2f)  %,8.0f bytes per send  %,9.0f sends per CPU"
              + " second%n",
          shape, us, cpu.stream().mapToDouble(d -> d).min().orElse(0), median(bytes), 1e6 / us);
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
