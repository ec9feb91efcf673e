package dev.steward.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link MailSendBenchmark}'s clients (Steward's transport and the SDK's {@code SendGrid.api}, 4
 * threads, loopback server) timed by the process's CPU time per request as well as by the wall
 * clock, in alternating rounds: on a machine shared with other work the wall-clock rate follows the
 * load, while CPU per request (client, server and every other thread of this JVM, the server's
 * share the same for both) compares the two clients there. The figure of record stays a quiet
 * machine's JMH run.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.steward.benchmarks.MailSendCpu
 * [rounds] [seconds per round]}.
 */
public final class MailSendCpu {
  private MailSendCpu() {}

  /** Alternates the two clients; prints each round and the medians. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    MailSendBenchmark b = new MailSendBenchmark();
    b.setUp();
    try {
      List<Double> steward = new ArrayList<>();
      List<Double> sdk = new ArrayList<>();
      List<Double> stewardRate = new ArrayList<>();
      List<Double> sdkRate = new ArrayList<>();
      // warm-up, until the JIT's own threads (counted in the process's CPU) are mostly done
      for (int w = 0; w < 4; w++) {
        round(b::steward, seconds);
        round(b::sdk, seconds);
      }
      for (int r = 0; r < rounds; r++) {
        double[] s = round(b::steward, seconds);
        double[] k = round(b::sdk, seconds);
        steward.add(s[0]);
        stewardRate.add(s[1]);
        sdk.add(k[0]);
        sdkRate.add(k[1]);
        System.out.printf(
            "round %d: steward %.1f us CPU/request (%,.0f/s), sdk %.1f us CPU/request (%,.0f/s)%n",
            r, s[0], s[1], k[0], k[1]);
      }
      double sc = median(steward);
      double kc = median(sdk);
      System.out.printf(
          "median: steward %.1f us CPU/request, sdk %.1f: sdk/steward %.2f; wall rate ratio %.2f%n",
          sc, kc, kc / sc, median(stewardRate) / median(sdkRate));
    } finally {
      b.tearDown();
    }
  }

  /** CPU microseconds per request and requests per second of one round on 4 threads. */
  private static double[] round(Callable<Object> send, double seconds) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder done = new LongAdder();
    List<Thread> threads = new ArrayList<>();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    send.call();
                    done.increment();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      t.start();
      threads.add(t);
    }
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    long wall = System.nanoTime() - t0;
    long cpu = os.getProcessCpuTime() - cpu0;
    long n = done.sum();
    return new double[] {cpu / 1_000.0 / n, n / (wall / 1e9)};
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
