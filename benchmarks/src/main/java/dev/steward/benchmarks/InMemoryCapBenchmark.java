package dev.steward.benchmarks;

import dev.steward.delivery.Decision;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.InMemoryCapLedgerStore;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frequency-cap decisions in memory on one thread: Bucket4j's local buckets beside Steward's
 * limiter over its in-memory ledger, on the same stream of 100,000 contacts and the same simulated
 * clock.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Threads(1)
public class InMemoryCapBenchmark {

  /** Bucket4j local buckets, created on first use per key the way an application would. */
  @State(Scope.Benchmark)
  public static class Bucket4jLocal {
    Workload workload;
    SimulatedTime time;
    private TimeMeter meter;
    private ConcurrentHashMap<String, Bucket> contactBuckets;
    private ConcurrentHashMap<String, Bucket> categoryBuckets;

    /** Draws the workload and starts with no buckets. */
    @Setup(Level.Trial)
    public void setUp() {
      workload = new Workload();
      time = new SimulatedTime();
      meter = time.timeMeter();
      contactBuckets = new ConcurrentHashMap<>();
      categoryBuckets = new ConcurrentHashMap<>();
    }

    Bucket contact(String key) {
      return contactBuckets.computeIfAbsent(key, k -> build(Bucket4jCaps.contactConfiguration()));
    }

    Bucket category(String key) {
      return categoryBuckets.computeIfAbsent(key, k -> build(Bucket4jCaps.categoryConfiguration()));
    }

    private Bucket build(BucketConfiguration configuration) {
      var builder = Bucket.builder().withCustomTimePrecision(meter);
      for (var bandwidth : configuration.getBandwidths()) {
        builder.addLimit(bandwidth);
      }
      return builder.build();
    }
  }

  /** One decision by Bucket4j local buckets: contact bucket, then contact+category bucket. */
  @Benchmark
  public long bucket4jLocal(Bucket4jLocal s, Cursor cursor, Tally tally) {
    int position = cursor.next();
    int contact = s.workload.contact(position);
    int category = s.workload.category(position);
    s.time.tick();
    long wait =
        Bucket4jCaps.decide(
            s.contact(s.workload.contactId(contact)),
            s.category(s.workload.categoryKey(contact, category)));
    tally.count(wait == 0L);
    return wait;
  }

  /** Steward's limiter over its in-memory ledger, with the benchmark policy. */
  @State(Scope.Benchmark)
  public static class StewardInMemory {
    Workload workload;
    SimulatedTime time;
    StewardCaps messages;
    FrequencyCapLimiter limiter;

    /** Draws the workload, builds the messages and starts with an empty ledger. */
    @Setup(Level.Trial)
    public void setUp() {
      workload = new Workload();
      time = new SimulatedTime();
      messages = new StewardCaps(workload);
      limiter =
          FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), time.clock())
              .policy(StewardCaps.policy())
              .build();
    }
  }

  /** One decision by Steward in memory: caps, category cap and quiet hours, slot reserved. */
  @Benchmark
  public Decision stewardInMemory(StewardInMemory s, Cursor cursor, Tally tally) {
    int position = cursor.next();
    int contact = s.workload.contact(position);
    int category = s.workload.category(position);
    s.time.tick();
    Decision decision = s.limiter.decide(s.messages.message(contact, category));
    tally.count(decision.isAllowed());
    return decision;
  }
}
