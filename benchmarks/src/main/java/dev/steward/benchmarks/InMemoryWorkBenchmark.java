package dev.steward.benchmarks;

import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.schedule.WorkType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * Due items executed per second in memory on one thread, with a no-op handler: each invocation
 * drains {@value #ITEMS} items scheduled (outside the measurement) into a fresh {@link
 * InMemoryWorkStore}, either through {@link WorkRunner#runDue()} or through the store's own claim
 * and complete calls in batches of 100 (the runner's overhead is the difference). Every item's
 * executions are counted and checked after each invocation; a score counts items, not calls.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(InMemoryWorkBenchmark.ITEMS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Threads(1)
@State(Scope.Thread)
public class InMemoryWorkBenchmark {

  /** Items drained per invocation. */
  static final int ITEMS = 100_000;

  static final WorkType<String> NOOP = WorkType.json("bench.noop");
  static final Duration LEASE = Duration.ofMinutes(5);

  /** Tenants the items are spread over (the claim's fair pass serves up to 16 in turn). */
  @Param({"1", "16"})
  public int tenants;

  private final Clock clock = Clock.systemUTC();
  private List<WorkItem> items;
  private InMemoryWorkStore store;
  private WorkRunner runner;
  private int[] runs;

  /** Builds the items once: ids "0" to "99999", due an hour ago. */
  @Setup(Level.Trial)
  public void items() {
    items = new ArrayList<>(ITEMS);
    Instant due = clock.instant().minus(Duration.ofHours(1));
    for (int i = 0; i < ITEMS; i++) {
      items.add(
          WorkItem.builder(TenantId.of("t" + (i % tenants)), NOOP.kind(), Integer.toString(i))
              .dueAt(due)
              .build());
    }
  }

  /** A fresh store holding every item due, and a runner over it. */
  @Setup(Level.Invocation)
  public void fill() {
    store = InMemoryWorkStore.of(clock);
    store.scheduleAll(items, IfExists.REPLACE);
    runs = new int[ITEMS];
    runner =
        WorkRunner.builder(store, clock)
            .owner("bench")
            .handler(
                NOOP,
                WorkHandler.sync(
                    w -> {
                      ran(w.item().key().id());
                      return Next.done();
                    }))
            .build();
  }

  private void ran(String id) {
    runs[Integer.parseInt(id)]++;
  }

  /** Every item ran exactly once, and the store is empty. */
  @TearDown(Level.Invocation)
  public void verify() {
    for (int i = 0; i < ITEMS; i++) {
      if (runs[i] != 1) {
        throw new IllegalStateException("item " + i + " ran " + runs[i] + " times");
      }
    }
    if (store.count(WorkState.READY) != 0) {
      throw new IllegalStateException(store.count(WorkState.READY) + " items left");
    }
  }

  /** The runner's own loop on the calling thread: claim 100, run each, complete the batch. */
  @Benchmark
  public int runDue() {
    return runner.runDue();
  }

  /** The store alone: claim 100, count each, complete the batch as done. */
  @Benchmark
  public int claimComplete() {
    int total = 0;
    while (true) {
      List<ClaimedWork> got = store.claim(ClaimRequest.of(clock.instant(), 100, "bench", LEASE));
      if (got.isEmpty()) {
        return total;
      }
      List<Completion> done = new ArrayList<>(got.size());
      for (ClaimedWork cw : got) {
        ran(cw.item().key().id());
        done.add(new Completion.Done(cw.lease()));
      }
      store.complete(done);
      total += got.size();
    }
  }
}
