package dev.steward.benchmarks;

import dev.steward.Steward;
import dev.steward.sendgrid.webhook.EventWebhookEndpoint;
import dev.steward.sendgrid.webhook.EventWebhookVerifier;
import dev.steward.testing.RecordingTransport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The parts of {@link WebhookSplitBenchmark} (and the whole endpoint) timed by the thread's CPU
 * time instead of the wall clock: on a machine shared with other work, time spent waiting for a
 * core is not counted, so two versions can be compared there (the cache is still shared: a quiet
 * machine's JMH run stays the figure of record). Prints microseconds of CPU per batch of 1,000
 * events, the median of several rounds after a warm-up, and events per CPU second.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.steward.benchmarks.WebhookCpuSplit
 * [rounds]}.
 */
public final class WebhookCpuSplit {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private WebhookCpuSplit() {}

  /** Times each part; the optional argument is the number of measured rounds (default 7). */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    WebhookSplitBenchmark b = new WebhookSplitBenchmark();
    WebhookSplitBenchmark.Parts p = new WebhookSplitBenchmark.Parts();
    p.setUp();
    WebhookBenchmark.Batch batch = new WebhookBenchmark.Batch();
    batch.setUp();
    Clock clock = Clock.fixed(WebhookBenchmark.NOW, ZoneOffset.UTC);
    Steward[] steward = {null};
    EventWebhookEndpoint endpoint =
        EventWebhookEndpoint.builder(
                EventWebhookVerifier.of(batch.publicKey, clock), e -> steward[0].accept(e))
            .build();
    Map<String, Callable<Object>> parts = new java.util.LinkedHashMap<>();
    parts.put("sha256Body", () -> b.sha256Body(p));
    parts.put("bcSha256Body", () -> b.bcSha256Body(p));
    parts.put("jdkEcdsaPrehashed", () -> b.jdkEcdsaPrehashed(p));
    parts.put("stewardEcdsaPrehashed", () -> b.stewardEcdsaPrehashed(p));
    parts.put("jdkVerify", () -> b.jdkVerify(p));
    parts.put("stewardVerify", () -> b.stewardVerify(p));
    parts.put("sdkVerify", () -> b.sdkVerify(p));
    parts.put("stewardParse", () -> b.stewardParse(p));
    parts.put("jacksonReadTree", () -> b.jacksonReadTree(p));
    parts.put(
        "sdkVerifyAndParse",
        () -> {
          b.sdkVerify(p);
          return b.jacksonReadTree(p);
        });
    parts.put(
        "stewardVerifyAndParse",
        () -> {
          b.stewardVerify(p);
          return b.stewardParse(p);
        });
    String only = System.getProperty("only", "");
    for (Map.Entry<String, Callable<Object>> part : parts.entrySet()) {
      if (!only.isEmpty() && !part.getKey().matches(only)) {
        continue;
      }
      report(part.getKey(), median(part.getValue(), rounds, 200));
    }
    if (only.isEmpty() || "stewardEndpointAccept".matches(only)) {
      // a fresh batch per call (signing it is outside the timed part), a fresh Steward per round
      List<Double> times = new ArrayList<>();
      for (int r = 0; r < rounds + 3; r++) {
        steward[0] = Steward.builder(clock).transport(RecordingTransport.of()).build();
        long cpu = 0;
        int n = 60;
        for (int i = 0; i < n; i++) {
          batch.renumber();
          Map<String, String> headers = batch.headers();
          long t0 = CPU.getCurrentThreadCpuTime();
          EventWebhookEndpoint.Answer a = endpoint.handle(headers, batch.body);
          cpu += CPU.getCurrentThreadCpuTime() - t0;
          if (a.status() != 200) {
            throw new IllegalStateException("refused: " + a);
          }
        }
        if (r >= 3) {
          times.add(cpu / 1_000.0 / n);
        }
      }
      report("stewardEndpointAccept", median(times));
    }
  }

  private static void report(String name, double micros) {
    System.out.printf(
        "%-24s %9.0f us CPU per batch  %,10.0f events per CPU second%n",
        name, micros, 1_000 / micros * 1_000_000);
  }

  private static double median(Callable<Object> work, int rounds, int perRound) throws Exception {
    int sink = 0;
    // warm-up: a few rounds' worth
    for (int i = 0; i < 3 * perRound; i++) {
      sink += System.identityHashCode(work.call()) & 1;
    }
    List<Double> times = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      long t0 = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < perRound; i++) {
        sink += System.identityHashCode(work.call()) & 1;
      }
      times.add((CPU.getCurrentThreadCpuTime() - t0) / 1_000.0 / perRound);
    }
    if (sink == -1) {
      System.out.print("");
    }
    return median(times);
  }

  private static double median(List<Double> times) {
    List<Double> sorted = new ArrayList<>(times);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
