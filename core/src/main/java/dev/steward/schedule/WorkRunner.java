package dev.steward.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs due work from a {@link WorkStore}: one poller thread claims batches ahead of a bounded pool
 * of worker threads, a heartbeat renews the leases of everything claimed and not yet completed (so
 * slow work is never taken over while this runner lives), and completions are written back in
 * batches. Handlers may answer later ({@link CompletionStage}), so a few threads can keep many
 * network calls in flight; {@link Builder#maxInFlight} bounds them. A full pool slows claiming; it
 * never lets a lease lapse.
 *
 * <p>Several runners (one per application instance) may share one store. {@link #close()} stops
 * claiming, hands back what was claimed and not started, waits for running work, and hands back
 * what is still running after the grace period.
 *
 * <p>A kind registered with a {@link BatchWorkHandler} gets the items of one claim in one call.
 *
 * <p>For tests and callers that drive time themselves, {@link #runDue()} runs everything due on the
 * calling thread; {@code dev.steward.testing.ManualWorkDriver} wraps it.
 */
public final class WorkRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkRunner.class);

  /** Threads that invoke handlers. */
  public static final int DEFAULT_WORKERS = 8;

  /** Items claimed per round trip. */
  public static final int DEFAULT_BATCH_SIZE = 100;

  /** How long a claim lasts unless renewed. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);

  /** The pause between claims when nothing was due. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  /** How long {@link #close()} waits for running work. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

  /** The most completions written in one round trip. */
  static final int COMPLETION_BATCH = 500;

  /** Rounds after which {@link #runDue()} decides work keeps rescheduling itself to now. */
  static final int MAX_MANUAL_ROUNDS = 10_000;

  private final WorkStore store;
  private final Clock clock;
  private final String owner;
  private final Map<String, Registered<?>> handlers;
  private final Set<String> unlimitedKinds;
  private final int workers;
  private final int maxInFlight;
  private final int batchSize;
  private final Duration pollInterval;
  private final Duration lease;
  private final Duration heartbeat;
  private final Duration shutdownGrace;
  private final List<WorkListener> listeners;

  private final ConcurrentHashMap<Lease, ClaimedWork> inFlight = new ConcurrentHashMap<>();
  private final Set<Lease> completing = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> runningPerKind = new ConcurrentHashMap<>();

  /** Claimed work not started: single items, and the items of a batch kind grouped per call. */
  private final LinkedBlockingQueue<List<ClaimedWork>> buffer = new LinkedBlockingQueue<>();

  private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
  private final Object wake = new Object();
  private final Semaphore runningPermits;

  /** Renews leases for handlers that ask whether their claims stand; one instance per runner. */
  private final java.util.function.UnaryOperator<List<Lease>> renewer;

  private volatile boolean running;
  private volatile boolean flushing;
  private Thread poller;
  private Thread flusher;
  private ExecutorService workerPool;
  private ScheduledExecutorService heartbeatTimer;

  private WorkRunner(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.owner = b.owner != null ? b.owner : "runner-" + UUID.randomUUID();
    Map<String, Registered<?>> byKind = new LinkedHashMap<>();
    for (Registration<?> reg : b.registrations.values()) {
      byKind.put(reg.type().kind(), registered(reg));
    }
    this.handlers = Map.copyOf(byKind);
    Set<String> unlimited = new HashSet<>();
    for (Registered<?> r : handlers.values()) {
      runningPerKind.put(r.type.kind(), new AtomicInteger());
      if (r.settings.concurrency() == 0) {
        unlimited.add(r.type.kind());
      }
    }
    this.unlimitedKinds = Set.copyOf(unlimited);
    this.workers = b.workers;
    this.maxInFlight = Math.max(b.maxInFlight, b.workers);
    this.runningPermits = new Semaphore(maxInFlight);
    this.batchSize = b.batchSize;
    this.pollInterval = b.pollInterval;
    this.lease = b.lease;
    this.heartbeat = b.heartbeat != null ? b.heartbeat : b.lease.dividedBy(3);
    this.shutdownGrace = b.shutdownGrace;
    this.listeners = List.copyOf(b.listeners);
    Duration leaseLength = b.lease;
    this.renewer = leases -> store.renew(leases, leaseLength);
  }

  private <P> Registered<P> registered(Registration<P> reg) {
    return new Registered<>(reg.type(), reg.handler(), reg.batch(), reg.settings());
  }

  /** A builder over a store; {@code clock} is the application's, by which due times are judged. */
  public static Builder builder(WorkStore store, Clock clock) {
    return new Builder(store, clock);
  }

  /** The store this runner works from. */
  public WorkStore store() {
    return store;
  }

  /** The id this runner claims under. */
  public String owner() {
    return owner;
  }

  /** How many claimed items are not yet completed (buffered, running or being written back). */
  public int inFlight() {
    return inFlight.size();
  }

  /** Starts the poller, the workers, the heartbeat and the completion writer. */
  public synchronized WorkRunner start() {
    if (running || poller != null) {
      throw new IllegalStateException("runner " + owner + " was already started");
    }
    running = true;
    flushing = true;
    workerPool =
        Executors.newFixedThreadPool(
            workers, daemon("steward-work-" + shortOwner() + "-", new AtomicInteger()));
    for (int i = 0; i < workers; i++) {
      workerPool.execute(this::workLoop);
    }
    heartbeatTimer =
        Executors.newSingleThreadScheduledExecutor(
            daemon("steward-heartbeat-", new AtomicInteger()));
    long every = Math.max(1, heartbeat.toMillis());
    heartbeatTimer.scheduleWithFixedDelay(this::renewSafely, every, every, TimeUnit.MILLISECONDS);
    flusher = new Thread(this::flushLoop, "steward-completions-" + shortOwner());
    flusher.setDaemon(true);
    flusher.start();
    poller = new Thread(this::pollLoop, "steward-poller-" + shortOwner());
    poller.setDaemon(true);
    poller.start();
    log.info(
        "work runner {} started: {} workers, {} in flight at most, kinds {}",
        owner,
        workers,
        maxInFlight,
        handlers.keySet());
    return this;
  }

  /** Wakes the poller: work was scheduled that may be due now. */
  public void wakeUp() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /**
   * Runs, on the calling thread, everything due at the clock's current time (and what that work
   * reschedules to no later than now), completing each before it returns; the number of runs. For
   * tests and for callers that drive the engine themselves; do not mix with {@link #start()}.
   */
  public int runDue() {
    int total = 0;
    for (int round = 0; round < MAX_MANUAL_ROUNDS; round++) {
      List<ClaimedWork> got = claim(batchSize);
      if (got.isEmpty()) {
        return total;
      }
      got.forEach(cw -> inFlight.put(cw.lease(), cw));
      List<Completion> done = new ArrayList<>(got.size());
      for (List<ClaimedWork> unit : units(got)) {
        try {
          runNow(unit, done);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(
              "interrupted while running " + unit.get(0).item().key(), e);
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "runner failed on " + unit.get(0).item().key(), e.getCause());
        }
      }
      write(done);
      total += got.size();
    }
    throw new IllegalStateException(
        "due work kept rescheduling itself to now for " + MAX_MANUAL_ROUNDS + " rounds");
  }

  /**
   * Runs one call as {@link #run} does and adds its completions to {@code done} once it finished,
   * on this thread: an item alone is waited for as itself (mem5), not through a list future made
   * for it as {@link #run} makes for the claim loop.
   */
  private void runNow(List<ClaimedWork> unit, List<Completion> done)
      throws InterruptedException, ExecutionException {
    Registered<?> r = handlers.get(unit.get(0).item().key().kind());
    if (r.batch != null) {
      done.addAll(r.runBatch(unit).get());
    } else {
      done.add(r.run(unit.get(0)).get());
    }
  }

  /**
   * The claimed items as calls: one per item of a kind with a single handler, one per kind with a
   * batch handler (all its claimed items, at the place of the first), in claim order otherwise.
   */
  private List<List<ClaimedWork>> units(List<ClaimedWork> claimed) {
    List<List<ClaimedWork>> out = new ArrayList<>();
    Map<String, List<ClaimedWork>> batches = new java.util.HashMap<>();
    for (ClaimedWork cw : claimed) {
      String kind = cw.item().key().kind();
      Registered<?> r = handlers.get(kind);
      if (r == null || r.batch == null) {
        out.add(List.of(cw));
        continue;
      }
      List<ClaimedWork> batch = batches.get(kind);
      if (batch == null) {
        batch = new ArrayList<>();
        batches.put(kind, batch);
        out.add(batch);
      }
      batch.add(cw);
    }
    return out;
  }

  // ---- claiming -------------------------------------------------------------------------------

  /** Claims up to {@code max} items of the kinds this runner has room for. */
  private List<ClaimedWork> claim(int max) {
    Instant now = clock.instant();
    List<ClaimedWork> out = new ArrayList<>();
    try {
      if (!unlimitedKinds.isEmpty()) {
        out.addAll(store.claim(new ClaimRequest(now, max, owner, lease, unlimitedKinds)));
      }
      for (Registered<?> r : handlers.values()) {
        int limit = r.settings.concurrency();
        if (limit == 0 || out.size() >= max) {
          continue;
        }
        int room = Math.min(max - out.size(), limit - runningPerKind.get(r.type.kind()).get());
        if (room > 0) {
          out.addAll(store.claim(new ClaimRequest(now, room, owner, lease, Set.of(r.type.kind()))));
        }
      }
    } catch (RuntimeException | Error e) {
      if (out.isEmpty()) {
        throw e;
      }
      // what earlier claims took must run, not wait out its lease held by nobody
      log.warn("claiming failed after {} items were claimed; running those", out.size(), e);
    }
    for (ClaimedWork cw : out) {
      runningPerKind.get(cw.item().key().kind()).incrementAndGet();
    }
    return out;
  }

  private void pollLoop() {
    while (running) {
      int room = maxInFlight + batchSize - inFlight.size();
      int asked = Math.min(batchSize, room);
      int got = 0;
      if (asked > 0) {
        try {
          List<ClaimedWork> claimed = claim(asked);
          got = claimed.size();
          for (ClaimedWork cw : claimed) {
            inFlight.put(cw.lease(), cw);
          }
          buffer.addAll(units(claimed));
        } catch (RuntimeException | Error e) {
          log.warn("claiming due work failed; trying again after {}", pollInterval, e);
        }
      }
      if (got < asked || asked <= 0) {
        pause(asked <= 0 ? Duration.ofMillis(Math.min(50, pollInterval.toMillis())) : pollInterval);
      }
    }
  }

  private void pause(Duration d) {
    synchronized (wake) {
      if (!running) {
        return;
      }
      try {
        wake.wait(Math.max(1, d.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  // ---- running --------------------------------------------------------------------------------

  private void workLoop() {
    while (running || !buffer.isEmpty()) {
      List<ClaimedWork> unit;
      try {
        unit = buffer.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (unit == null) {
        continue;
      }
      if (!running) {
        // shutting down: not started work is handed back by close()
        buffer.add(unit);
        return;
      }
      try {
        // at most maxInFlight calls run at once; the rest wait here, claimed and renewed
        runningPermits.acquire();
      } catch (InterruptedException e) {
        buffer.add(unit);
        return;
      }
      CompletableFuture<List<Completion>> done;
      try {
        done = run(unit);
      } catch (RuntimeException | Error e) {
        List<Completion> fallbacks = new ArrayList<>(unit.size());
        unit.forEach(cw -> fallbacks.add(fallback(cw, e)));
        done = CompletableFuture.completedFuture(fallbacks);
      }
      done.thenAccept(
          cs -> {
            runningPermits.release();
            for (Completion c : cs) {
              // answered: the heartbeat leaves it alone from now on, so renewing it can never
              // race (and deadlock) with writing its answer
              completing.add(c.lease());
              completions.add(c);
            }
          });
    }
  }

  /**
   * Runs one call (one item, or a batch kind's items); the future never fails: every outcome
   * becomes a completion per item, in the unit's order.
   */
  private CompletableFuture<List<Completion>> run(List<ClaimedWork> unit) {
    Registered<?> r = handlers.get(unit.get(0).item().key().kind());
    if (r.batch != null) {
      return r.runBatch(unit);
    }
    return r.run(unit.get(0)).thenApply(List::of);
  }

  private <P> CompletableFuture<List<Completion>> runBatchTyped(
      Registered<P> r, List<ClaimedWork> unit) {
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    Completion[] out = new Completion[unit.size()];
    List<Integer> at = new ArrayList<>(unit.size());
    List<WorkContext<P>> contexts = new ArrayList<>(unit.size());
    for (int i = 0; i < unit.size(); i++) {
      ClaimedWork cw = unit.get(i);
      WorkItem item = cw.item();
      try {
        P payload = r.type.decode(item.payload(), item.payloadVersion());
        contexts.add(new WorkContext<>(item, payload, r.type, started, cw.lease(), renewer));
        at.add(i);
      } catch (Throwable t) {
        out[i] = unreadable(cw, t);
      }
    }
    if (contexts.isEmpty()) {
      return CompletableFuture.completedFuture(List.of(out));
    }
    List<ClaimedWork> called = new ArrayList<>(at.size());
    at.forEach(i -> called.add(unit.get(i)));
    CompletableFuture<List<Next>> future;
    MDC.put("steward.work", r.type.kind() + " (batch of " + called.size() + ")");
    try {
      CompletionStage<List<Next>> stage = r.batch.handle(List.copyOf(contexts));
      if (stage == null) {
        throw new IllegalStateException("batch handler of " + r.type.kind() + " returned no stage");
      }
      future = stage.toCompletableFuture(); // as in runTyped: a refusal is the handler's failure
    } catch (Throwable t) {
      return CompletableFuture.completedFuture(fill(out, at, failedAll(called, r, t)));
    } finally {
      MDC.remove("steward.work");
    }
    return future
        .copy()
        .orTimeout(millis(r.settings.timeout()), TimeUnit.MILLISECONDS)
        .handle(
            (nexts, error) -> {
              if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof TimeoutException) {
                  cause = new TimeoutException("ran longer than " + r.settings.timeout());
                }
                return fill(out, at, failedAll(called, r, cause));
              }
              if (nexts == null || nexts.size() != called.size()) {
                String got = nexts == null ? "null" : nexts.size() + " answers";
                return fill(
                    out,
                    at,
                    failedAll(
                        called,
                        r,
                        new IllegalStateException(
                            "batch handler of "
                                + r.type.kind()
                                + " answered "
                                + got
                                + " for "
                                + called.size()
                                + " items")));
              }
              Duration took = Duration.ofNanos(System.nanoTime() - t0);
              List<Completion> each = new ArrayList<>(called.size());
              for (int i = 0; i < called.size(); i++) {
                ClaimedWork cw = called.get(i);
                Next next = nexts.get(i);
                try {
                  if (next == null) {
                    each.add(failed(cw, r, new IllegalStateException("handler answered null")));
                  } else {
                    notifyFinished(cw.item(), next, took);
                    each.add(answered(cw, r, next));
                  }
                } catch (RuntimeException | Error e) {
                  each.add(fallback(cw, e));
                }
              }
              return fill(out, at, each);
            })
        .exceptionally(
            t -> {
              List<Completion> each = new ArrayList<>(unit.size());
              unit.forEach(cw -> each.add(fallback(cw, t)));
              return each;
            });
  }

  private List<Completion> failedAll(List<ClaimedWork> called, Registered<?> r, Throwable t) {
    List<Completion> each = new ArrayList<>(called.size());
    called.forEach(cw -> each.add(failed(cw, r, t)));
    return each;
  }

  /** The completions of a unit: those decided before the call, and the call's at their places. */
  private static List<Completion> fill(Completion[] out, List<Integer> at, List<Completion> each) {
    Completion[] all = out.clone();
    for (int i = 0; i < at.size(); i++) {
      all[at.get(i)] = each.get(i);
    }
    return List.of(all);
  }

  private Completion unreadable(ClaimedWork cw, Throwable t) {
    WorkItem item = cw.item();
    String error = "unreadable payload (version " + item.payloadVersion() + "): " + describe(t);
    log.error("work {} has an unreadable payload; it is kept DEAD", item.key(), t);
    notifyFailed(item, t, true);
    return new Completion.Dead(cw.lease(), error);
  }

  private <P> CompletableFuture<Completion> runTyped(Registered<P> r, ClaimedWork cw) {
    WorkItem item = cw.item();
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    P payload;
    try {
      payload = r.type.decode(item.payload(), item.payloadVersion());
    } catch (Throwable t) {
      return CompletableFuture.completedFuture(unreadable(cw, t));
    }
    CompletableFuture<Next> future;
    MDC.put("steward.tenant", item.key().tenant().value());
    MDC.put("steward.work", item.key().kind() + "/" + item.key().id());
    try {
      CompletionStage<Next> stage =
          r.handler.handle(new WorkContext<>(item, payload, r.type, started, cw.lease(), renewer));
      if (stage == null) {
        throw new IllegalStateException("handler of " + r.type.kind() + " returned no stage");
      }
      // a stage may refuse to be a CompletableFuture (CompletionStage allows it): the handler's
      // failure, not the caller's (runDue threw it out with the claim in flight; rb6)
      future = stage.toCompletableFuture();
    } catch (Throwable t) {
      return CompletableFuture.completedFuture(failed(cw, r, t));
    } finally {
      MDC.remove("steward.tenant");
      MDC.remove("steward.work");
    }
    if (future.isDone() && !future.isCompletedExceptionally()) {
      // answered already (a synchronous handler): no time-out to arm, so the answer is taken as
      // the chain below would take it, without a copy and three stages per item
      try {
        return CompletableFuture.completedFuture(answer(r, cw, t0, future.join()));
      } catch (RuntimeException | Error e) {
        return CompletableFuture.completedFuture(fallback(cw, e));
      }
    }
    return future
        .copy()
        .orTimeout(millis(r.settings.timeout()), TimeUnit.MILLISECONDS)
        .handle(
            (next, error) -> {
              if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof TimeoutException) {
                  cause = new TimeoutException("ran longer than " + r.settings.timeout());
                }
                return failed(cw, r, cause);
              }
              return answer(r, cw, t0, next);
            })
        .exceptionally(t -> fallback(cw, t));
  }

  /** The completion of a handler's answer ({@code next}), once it came without an error. */
  private Completion answer(Registered<?> r, ClaimedWork cw, long t0, Next next) {
    if (next == null) {
      return failed(cw, r, new IllegalStateException("handler answered null"));
    }
    notifyFinished(cw.item(), next, Duration.ofNanos(System.nanoTime() - t0));
    return answered(cw, r, next);
  }

  /**
   * The completion of a run whose answer could not be turned into one (an invalid new payload, a
   * failing listener): retried later, so the item is neither stuck in flight nor lost.
   */
  private Completion fallback(ClaimedWork cw, Throwable t) {
    Throwable cause = unwrap(t);
    log.error(
        "the answer for work {} could not be recorded; it is retried", cw.item().key(), cause);
    String error = "runner could not record the answer: " + describe(cause);
    Registered<?> r = handlers.get(cw.item().key().kind());
    try {
      // counted as a failed attempt, so an answer that can never be recorded ends DEAD
      return retryOrDie(cw, r, error, null);
    } catch (RuntimeException | Error e) {
      return new Completion.Retry(
          cw.lease(), clock.instant().plus(RetryPolicy.DEFAULT.firstDelay()), error);
    }
  }

  private Completion answered(ClaimedWork cw, Registered<?> r, Next next) {
    WorkItem item = cw.item();
    switch (next.action()) {
      case DONE:
        return new Completion.Done(cw.lease());
      case RESCHEDULE:
        return new Completion.Reschedule(
            cw.lease(), next.at().orElseThrow(), next.payload().orElse(item.payload()));
      case RETRY:
        return retryOrDie(cw, r, next.error().orElse("retry"), next.after().orElse(null));
      case FAIL:
      default:
        log.warn("work {} failed for good: {}", item.key(), next.error().orElse(""));
        return new Completion.Dead(cw.lease(), next.error().orElse("failed"));
    }
  }

  private Completion failed(ClaimedWork cw, Registered<?> r, Throwable t) {
    int failures = cw.item().attempts() + 1;
    boolean dead = failures >= r.settings.retry().maxAttempts();
    if (dead) {
      log.error("work {} failed {} times and is kept DEAD", cw.item().key(), failures, t);
    } else {
      log.warn("work {} failed (attempt {}); it is retried", cw.item().key(), failures, t);
    }
    notifyFailed(cw.item(), t, dead);
    return retryOrDie(cw, r, describe(t), null);
  }

  private Completion retryOrDie(ClaimedWork cw, Registered<?> r, String error, Duration after) {
    int failures = cw.item().attempts() + 1;
    RetryPolicy policy = r.settings.retry();
    if (failures >= policy.maxAttempts()) {
      return new Completion.Dead(cw.lease(), "gave up after " + failures + " attempts: " + error);
    }
    Duration wait = after;
    if (wait == null) {
      Duration base = policy.delayAfter(failures);
      long jitter = base.toMillis() / 5;
      wait = base.plusMillis(jitter <= 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1));
    }
    return new Completion.Retry(cw.lease(), clock.instant().plus(wait), error);
  }

  // ---- writing back ---------------------------------------------------------------------------

  private void flushLoop() {
    List<Completion> batch = new ArrayList<>(COMPLETION_BATCH);
    while (flushing || !completions.isEmpty()) {
      try {
        Completion first = completions.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        completions.drainTo(batch, COMPLETION_BATCH - 1);
        writeWithRetry(batch);
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void writeWithRetry(List<Completion> batch) throws InterruptedException {
    long backoff = 50;
    for (int attempt = 1; ; attempt++) {
      try {
        write(batch);
        return;
      } catch (RuntimeException | Error e) {
        if (batch.size() > 1 && attempt >= 2) {
          // one completion the store refuses must not hold back the others: write them singly
          log.warn("writing {} completions failed twice; writing them one by one", batch.size(), e);
          for (Completion c : batch) {
            writeWithRetry(List.of(c));
          }
          return;
        }
        if (batch.size() == 1 && (attempt >= 5 || !flushing)) {
          // given up: its lease is let go, so the work runs again (at least once, never lost)
          log.error(
              "could not write the answer for {} after {} attempts; it runs again after its lease",
              batch.get(0).lease().key(),
              attempt,
              e);
          forget(batch.get(0).lease());
          return;
        }
        // the leases stay alive meanwhile (the heartbeat renews them), so nothing is taken over
        log.warn("writing {} completions failed; retrying in {} ms", batch.size(), backoff, e);
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
        if (!flushing && backoff >= 5_000) {
          log.error(
              "gave up writing {} completions at shutdown; their work runs again", batch.size());
          batch.forEach(c -> forget(c.lease()));
          return;
        }
      }
    }
  }

  private void write(List<Completion> batch) {
    batch.forEach(c -> completing.add(c.lease()));
    try {
      List<Completion> applied = store.complete(batch);
      if (applied.size() != batch.size()) {
        Set<Lease> ok = new HashSet<>();
        applied.forEach(c -> ok.add(c.lease()));
        for (Completion c : batch) {
          if (!ok.contains(c.lease())) {
            log.warn(
                "the lease on {} was lost before its answer ({}) was written; the answer is dropped",
                c.lease().key(),
                c.getClass().getSimpleName());
            notifyLeaseLost(c.lease());
          }
        }
      }
      batch.forEach(c -> forget(c.lease()));
    } finally {
      batch.forEach(c -> completing.remove(c.lease()));
    }
  }

  /** Drops a lease: no longer renewed (its item runs again once it lapses), its slot freed. */
  private void forget(Lease l) {
    ClaimedWork cw = inFlight.remove(l);
    if (cw != null) {
      runningPerKind.get(cw.item().key().kind()).decrementAndGet();
      wakeUp();
    }
  }

  // ---- heartbeat ------------------------------------------------------------------------------

  private void renewSafely() {
    try {
      List<Lease> held = new ArrayList<>(inFlight.keySet());
      held.removeAll(completing);
      if (held.isEmpty()) {
        return;
      }
      List<Lease> renewed;
      try {
        renewed = store.renew(held, lease);
      } catch (RuntimeException | Error first) {
        // once more at once: waiting a whole heartbeat would let short leases lapse
        log.debug("renewing leases failed once; trying again now", first);
        renewed = store.renew(held, lease);
      }
      if (renewed.size() != held.size()) {
        Set<Lease> ok = new HashSet<>(renewed);
        for (Lease l : held) {
          if (!ok.contains(l) && inFlight.containsKey(l) && !completing.contains(l)) {
            log.warn("lost the lease on {} while it was running", l.key());
            notifyLeaseLost(l);
          }
        }
      }
    } catch (RuntimeException | Error e) {
      log.warn("renewing {} leases failed; trying again in {}", inFlight.size(), heartbeat, e);
    }
  }

  // ---- shutdown -------------------------------------------------------------------------------

  /**
   * Stops claiming, hands back claimed work not yet started, waits up to the grace period for
   * running work and its completions, and hands back whatever is still running then (another runner
   * takes it over; its late answer here is not applied).
   */
  @Override
  public synchronized void close() {
    if (poller == null || !running) {
      return;
    }
    running = false;
    wakeUp();
    join(poller);
    List<List<ClaimedWork>> unstarted = new ArrayList<>();
    buffer.drainTo(unstarted);
    handBack(flat(unstarted), "not started");
    workerPool.shutdown();
    long deadline = System.nanoTime() + shutdownGrace.toNanos();
    try {
      workerPool.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
      List<List<ClaimedWork>> late = new ArrayList<>();
      buffer.drainTo(late);
      handBack(flat(late), "not started");
      while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushing = false;
    join(flusher);
    heartbeatTimer.shutdownNow();
    if (!inFlight.isEmpty()) {
      // still running after the grace period: not handed back, since the handler may yet act;
      // with the heartbeat stopped the lease lapses and another runner takes the item over
      log.warn(
          "{} items still running after {}; their leases lapse and others take them over",
          inFlight.size(),
          shutdownGrace);
      List<Lease> running = new ArrayList<>(inFlight.keySet());
      running.forEach(this::forget);
    }
    log.info("work runner {} stopped", owner);
  }

  private static List<ClaimedWork> flat(List<List<ClaimedWork>> units) {
    List<ClaimedWork> out = new ArrayList<>();
    units.forEach(out::addAll);
    return out;
  }

  private void handBack(List<ClaimedWork> claimed, String why) {
    if (claimed.isEmpty()) {
      return;
    }
    List<Lease> leases = claimed.stream().map(ClaimedWork::lease).toList();
    try {
      int n = store.release(leases);
      log.info("handed back {} claimed items ({})", n, why);
    } catch (RuntimeException | Error e) {
      log.warn(
          "could not hand back {} items ({}); they are free after their lease",
          leases.size(),
          why,
          e);
    }
    leases.forEach(this::forget);
  }

  private static void join(Thread t) {
    try {
      t.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private String shortOwner() {
    return owner.length() <= 12 ? owner : owner.substring(0, 12);
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix, AtomicInteger n) {
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A duration in milliseconds, saturating: a timeout of centuries is no timeout, not a crash. */
  static long millis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private void notifyFinished(WorkItem item, Next next, Duration took) {
    notifyEach(l -> l.onFinished(item, next, took));
  }

  private void notifyFailed(WorkItem item, Throwable t, boolean dead) {
    notifyEach(l -> l.onFailed(item, t, dead));
  }

  private void notifyLeaseLost(Lease lease) {
    notifyEach(l -> l.onLeaseLost(lease));
  }

  /** Tells every listener; one that throws is logged and never keeps the others from hearing. */
  private void notifyEach(java.util.function.Consumer<WorkListener> call) {
    for (WorkListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException | Error e) {
        log.warn("work listener {} threw", l, e);
      }
    }
  }

  /** A kind's type, handler and settings. */
  private final class Registered<P> {
    final WorkType<P> type;
    final WorkHandler<P> handler;
    final BatchWorkHandler<P> batch;
    final KindSettings settings;

    Registered(
        WorkType<P> type,
        WorkHandler<P> handler,
        BatchWorkHandler<P> batch,
        KindSettings settings) {
      this.type = type;
      this.handler = handler;
      this.batch = batch;
      this.settings = settings;
    }

    CompletableFuture<Completion> run(ClaimedWork cw) {
      return runTyped(this, cw);
    }

    CompletableFuture<List<Completion>> runBatch(List<ClaimedWork> unit) {
      return runBatchTyped(this, unit);
    }
  }

  /** Builds a {@link WorkRunner}. */
  public static final class Builder {
    private final WorkStore store;
    private final Clock clock;
    private final Map<String, Registration<?>> registrations = new LinkedHashMap<>();
    private String owner;
    private int workers = DEFAULT_WORKERS;
    private int maxInFlight;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration lease = DEFAULT_LEASE;
    private Duration heartbeat;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private final List<WorkListener> listeners = new ArrayList<>();

    private Builder(WorkStore store, Clock clock) {
      this.store = Objects.requireNonNull(store, "store");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The store the runner will work from: recurring work schedules its item there, and work that
     * fans out (one item per tenant) its items.
     */
    public WorkStore store() {
      return store;
    }

    /** The runner's clock. */
    Clock clock() {
      return clock;
    }

    /** Runs {@code type}'s work with {@code handler} under {@link KindSettings#DEFAULT}. */
    public <P> Builder handler(WorkType<P> type, WorkHandler<P> handler) {
      return handler(type, handler, KindSettings.DEFAULT);
    }

    /** Runs {@code type}'s work with {@code handler} under {@code settings}. */
    public <P> Builder handler(WorkType<P> type, WorkHandler<P> handler, KindSettings settings) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(handler, "handler");
      Objects.requireNonNull(settings, "settings");
      return add(new Registration<>(type, handler, null, settings));
    }

    /**
     * Runs {@code type}'s work with {@code handler}, which gets all the items of the kind that one
     * claim took in one call (at most {@link #batchSize}, within the kind's concurrency), under
     * {@code settings}. The call runs on one worker and counts as one toward {@link #maxInFlight};
     * the kind's timeout is that of the whole call.
     */
    public <P> Builder batchHandler(
        WorkType<P> type, BatchWorkHandler<P> handler, KindSettings settings) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(handler, "handler");
      Objects.requireNonNull(settings, "settings");
      return add(new Registration<>(type, null, handler, settings));
    }

    private Builder add(Registration<?> reg) {
      String kind = reg.type().kind();
      if (registrations.containsKey(kind)) {
        throw new InvalidWorkException("a handler for kind '" + kind + "' was already added");
      }
      registrations.put(kind, reg);
      return this;
    }

    /** The id this runner claims under; default a random one. */
    public Builder owner(String owner) {
      if (owner == null || owner.isBlank() || owner.length() > WorkKey.MAX_ID) {
        throw new InvalidWorkException("owner must be 1 to 200 characters, was " + owner);
      }
      this.owner = owner;
      return this;
    }

    /** Threads that invoke handlers; default {@value #DEFAULT_WORKERS}. */
    public Builder workers(int n) {
      if (n < 1) {
        throw new InvalidWorkException("workers must be at least 1, was " + n);
      }
      this.workers = n;
      return this;
    }

    /**
     * How many claimed items may be running at once, asynchronous handlers included; default the
     * number of workers. Raise it for handlers that answer with a stage (network calls).
     */
    public Builder maxInFlight(int n) {
      if (n < 1) {
        throw new InvalidWorkException("maxInFlight must be at least 1, was " + n);
      }
      this.maxInFlight = n;
      return this;
    }

    /** Items claimed per round trip; default {@value #DEFAULT_BATCH_SIZE}. */
    public Builder batchSize(int n) {
      if (n < 1) {
        throw new InvalidWorkException("batchSize must be at least 1, was " + n);
      }
      this.batchSize = n;
      return this;
    }

    /** The pause between claims when nothing was due; default 1 s. */
    public Builder pollInterval(Duration d) {
      this.pollInterval = positive(d, "pollInterval");
      return this;
    }

    /** How long a claim lasts unless renewed; default 5 minutes. */
    public Builder lease(Duration d) {
      this.lease = positive(d, "lease");
      return this;
    }

    /** How often leases are renewed; default a third of the lease. */
    public Builder heartbeat(Duration d) {
      this.heartbeat = positive(d, "heartbeat");
      return this;
    }

    /** How long {@link WorkRunner#close()} waits for running work; default 30 s. */
    public Builder shutdownGrace(Duration d) {
      this.shutdownGrace = positive(d, "shutdownGrace");
      return this;
    }

    /** Adds a listener of finished, failed and lost work; each is told in the order added. */
    public Builder listener(WorkListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public WorkRunner build() {
      if (registrations.isEmpty()) {
        throw new InvalidWorkException("a runner needs at least one handler");
      }
      if (heartbeat != null && heartbeat.compareTo(lease) >= 0) {
        throw new InvalidWorkException(
            "heartbeat " + heartbeat + " must be shorter than the lease " + lease);
      }
      return new WorkRunner(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new InvalidWorkException(name + " must be positive, was " + d);
      }
      return d;
    }
  }

  /** A kind's type, its handler (single or batch, the other null) and settings. */
  private record Registration<P>(
      WorkType<P> type, WorkHandler<P> handler, BatchWorkHandler<P> batch, KindSettings settings) {}
}
