package dev.steward.benchmarks;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two builds' {@link JourneyStepBenchmark} rounds in one JVM, alternated, compared by the benchmark
 * thread's CPU time and allocated bytes per send. On a machine shared with other work, two runs of
 * {@link JourneyStepCpu} minutes apart see different loads and different CPU frequencies; rounds
 * alternated in one process (A B, then B A) see the same, so the ratio of each pair holds where the
 * figures alone drift. A quiet machine's JMH run stays the figure of record.
 *
 * <p>Each build's benchmark jar is loaded in its own class loader (its classes, the library's
 * included, are that build's), which is why the benchmark's public methods are called reflectively
 * here: the two builds' classes share no type this class could name.
 *
 * <p>Run: {@code java -Xms2g -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp
 * benchmarks/target/benchmarks.jar dev.steward.benchmarks.PairedJourneySteps A.jar B.jar [shape]
 * [rounds] [warm-up rounds]} (defaults {@code cadence}, 12, 4). Prints each build's median CPU
 * microseconds and bytes per send, and B's over A's: the median of the pairs' CPU ratios and the
 * ratio of the median bytes. Run one jar as both A and B first: what that prints is the noise of
 * the machine and of the two class loaders' shared JDK code (on a loaded VM with few rounds it was
 * as far as 1.3 from 1), and a change is measured only when its ratio is well beyond it.
 */
public final class PairedJourneySteps {
  private static final com.sun.management.ThreadMXBean CPU =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private PairedJourneySteps() {}

  /** Alternates the two jars' rounds and prints the comparison. */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: PairedJourneySteps A.jar B.jar [shape] [rounds] [warm-up rounds]");
    }
    String shape = args.length > 2 ? args[2] : "cadence";
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 12;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 4;
    Build a = new Build(args[0], shape);
    Build b = new Build(args[1], shape);
    List<Double> ratios = new ArrayList<>();
    for (int r = 0; r < warmup + rounds; r++) {
      boolean aFirst = r % 2 == 0; // ABBA: neither build always runs on the warmer heap
      Round first = (aFirst ? a : b).round();
      Round second = (aFirst ? b : a).round();
      if (r >= warmup) {
        Round ra = aFirst ? first : second;
        Round rb = aFirst ? second : first;
        a.keep(ra);
        b.keep(rb);
        ratios.add(rb.cpuMicros() / ra.cpuMicros());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%-9s A %5.2f us %,6.0f B/send | B %5.2f us %,6.0f B/send | B/A: CPU %.3f (median of"
            + " pairs), bytes %.3f%n",
        shape,
        JourneyStepCpu.median(a.cpu),
        JourneyStepCpu.median(a.bytes),
        JourneyStepCpu.median(b.cpu),
        JourneyStepCpu.median(b.bytes),
        JourneyStepCpu.median(ratios),
        JourneyStepCpu.median(b.bytes) / JourneyStepCpu.median(a.bytes));
  }

  /** One round's CPU microseconds and allocated bytes per send. */
  private record Round(double cpuMicros, double bytes) {}

  /** One build's benchmark, in its own class loader. */
  private static final class Build {
    private final Object benchmark;
    private final Method enrol;
    private final Method runSteps;
    private final Method verify;
    private final List<Double> cpu = new ArrayList<>();
    private final List<Double> bytes = new ArrayList<>();

    Build(String jar, String shape) throws Exception {
      ClassLoader loader =
          new URLClassLoader(new URL[] {url(jar)}, ClassLoader.getPlatformClassLoader());
      Class<?> type = Class.forName(JourneyStepBenchmark.class.getName(), true, loader);
      benchmark = type.getConstructor().newInstance();
      type.getField("shape").set(benchmark, shape);
      type.getField("steps").set(benchmark, "default");
      type.getMethod("shape").invoke(benchmark);
      enrol = type.getMethod("enrol");
      runSteps = type.getMethod("runSteps");
      verify = type.getMethod("verify");
    }

    private static URL url(String jar) throws MalformedURLException {
      File file = new File(jar);
      if (!file.isFile()) {
        throw new IllegalArgumentException("no benchmark jar at " + jar);
      }
      return file.toURI().toURL();
    }

    Round round() throws Exception {
      enrol.invoke(benchmark); // set-up, not measured
      long thread = Thread.currentThread().getId();
      long bytes0 = CPU.getThreadAllocatedBytes(thread);
      long cpu0 = CPU.getCurrentThreadCpuTime();
      runSteps.invoke(benchmark);
      long cpuNanos = CPU.getCurrentThreadCpuTime() - cpu0;
      long allocated = CPU.getThreadAllocatedBytes(thread) - bytes0;
      verify.invoke(benchmark); // every step sent exactly once, or the round throws
      return new Round(
          cpuNanos / 1_000.0 / JourneyStepBenchmark.STEPS,
          (double) allocated / JourneyStepBenchmark.STEPS);
    }

    void keep(Round r) {
      cpu.add(r.cpuMicros());
      bytes.add(r.bytes());
    }
  }
}
