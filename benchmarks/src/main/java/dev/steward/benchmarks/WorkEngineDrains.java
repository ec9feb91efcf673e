package dev.steward.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.steward.jdbc.JdbcWorkStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.TenantId;
import dev.steward.schedule.ClaimRequest;
import dev.steward.schedule.ClaimedWork;
import dev.steward.schedule.Completion;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.Lease;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkListener;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Drains of pre-scheduled due work, timed from the start of the executors to the moment the last
 * item's completion is written (the work table empty again), with every item's executions counted
 * so that a figure is printed only if every item ran exactly once. Not JMH: starting runners with
 * their own threads and draining a table is a timed loop, repeated for a spread. Modes:
 *
 * <ul>
 *   <li>{@code throughput [rounds] [items]}: on durable PostgreSQL, Steward's {@link WorkRunner} (1
 *       and 2 instances), db-scheduler one-off tasks (1 and 2 instances), and two raw-SQL ceilings
 *       (one-phase claim-and-delete, two-phase claim then delete), in turn, each round.
 *   <li>{@code stability [items]}: one Steward runner drains a large backlog on durable PostgreSQL;
 *       claim and execution rates per tenth of the backlog.
 *   <li>{@code slow [syncItems] [asyncItems]}: a handler that waits 200 ms, synchronously on 32
 *       workers and asynchronously on 8 threads with 1000 in flight, in memory and on PostgreSQL,
 *       with a 2 s lease renewed every 500 ms and lost leases counted.
 * </ul>
 */
public final class WorkEngineDrains {

  static final WorkType<String> NOOP = WorkType.json("bench.noop");
  static final String DDL_DB_SCHEDULER =
      "CREATE TABLE IF NOT EXISTS scheduled_tasks (task_name TEXT NOT NULL,"
          + " task_instance TEXT NOT NULL, task_data BYTEA,"
          + " execution_time TIMESTAMP WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL,"
          + " picked_by TEXT, last_success TIMESTAMP WITH TIME ZONE,"
          + " last_failure TIMESTAMP WITH TIME ZONE, consecutive_failures INT,"
          + " last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL, priority SMALLINT,"
          + " PRIMARY KEY (task_name, task_instance))";
  static final String[] DDL_DB_SCHEDULER_INDEXES = {
    "CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time)",
    "CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
    "CREATE INDEX IF NOT EXISTS priority_execution_time_idx"
        + " ON scheduled_tasks (priority DESC, execution_time ASC)"
  };

  /** Steward's runner settings in the no-op drains (said in BENCHMARKS.md). */
  static final int STEWARD_WORKERS = 8;

  static final int STEWARD_MAX_IN_FLIGHT = Integer.getInteger("bench.maxInFlight", 1000);
  static final int STEWARD_BATCH = 100;

  /** db-scheduler's settings in the no-op drains (said in BENCHMARKS.md). */
  static final int DBS_THREADS = Integer.getInteger("bench.dbs.threads", 20);

  static final double DBS_LOWER = 0.5;
  static final double DBS_UPPER = Double.parseDouble(System.getProperty("bench.dbs.upper", "4.0"));
  static final Duration POLL = Duration.ofMillis(100);

  private WorkEngineDrains() {}

  /** Runs the mode named by the first argument. */
  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "throughput";
    switch (mode) {
      case "throughput" -> throughput(intArg(args, 1, 3), intArg(args, 2, 100_000), args);
      case "stability" -> stability(intArg(args, 1, 1_000_000));
      case "accept" -> accept(intArg(args, 1, 200), intArg(args, 2, 1_000));
      case "slow" -> slow(intArg(args, 1, 1_440), intArg(args, 2, 20_000));
      case "explain" -> explain(intArg(args, 1, 200_000));
      case "deadlock" -> deadlock(intArg(args, 1, 10), args.length > 2 && args[2].equals("sorted"));
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
    System.exit(0);
  }

  private static int intArg(String[] args, int i, int otherwise) {
    return args.length > i ? Integer.parseInt(args[i]) : otherwise;
  }

  // ---- 1. no-op throughput on durable PostgreSQL ----------------------------------------------

  private static void throughput(int rounds, int n, String[] args) throws Exception {
    String only = args.length > 3 ? args[3] : "all";
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    try (DurablePostgres db = DurablePostgres.start()) {
      StewardSchema.bootstrap(db.admin());
      db.execute(DDL_DB_SCHEDULER);
      db.execute(DDL_DB_SCHEDULER_INDEXES);
      pgStatStatements(db);
      System.out.println(settings(db));
      for (int round = 1; round <= rounds; round++) {
        List<String> order =
            List.of(
                "steward-1",
                "steward-2",
                "db-scheduler-1",
                "db-scheduler-2",
                "one-phase",
                "two-phase");
        for (String who : order) {
          if (!only.equals("all") && !who.startsWith(only)) {
            continue;
          }
          double rate =
              switch (who) {
                case "steward-1" -> stewardDrain(db, n, 1, 1);
                case "steward-2" -> stewardDrain(db, n, 2, 1);
                case "db-scheduler-1" -> dbSchedulerDrain(db, n, 1);
                case "db-scheduler-2" -> dbSchedulerDrain(db, n, 2);
                case "one-phase" -> rawDrain(db, n, false);
                default -> rawDrain(db, n, true);
              };
          rates.computeIfAbsent(who, k -> new ArrayList<>()).add(rate);
          System.out.printf(
              Locale.ROOT, "round %d %-15s %,10.0f items/s  load %s%n", round, who, rate, load());
        }
      }
      if (args.length > 4 && args[4].equals("tenants")) {
        for (int round = 1; round <= rounds; round++) {
          double rate = stewardDrain(db, n, 1, 100);
          rates.computeIfAbsent("steward-1 (100 tenants)", k -> new ArrayList<>()).add(rate);
          System.out.printf(
              Locale.ROOT, "round %d steward-1, 100 tenants %,10.0f items/s%n", round, rate);
        }
      }
      printStatements(db);
    }
    summary(rates);
  }

  static List<WorkItem> items(int from, int count, int tenants, Instant due) {
    List<WorkItem> out = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      out.add(
          WorkItem.builder(TenantId.of("t" + (i % tenants)), NOOP.kind(), Integer.toString(i))
              .dueAt(due)
              .build());
    }
    return out;
  }

  /** Schedules {@code n} no-op items due a second ago, in chunks, and vacuums the table. */
  static void scheduleSteward(DurablePostgres db, WorkStore store, int n, int tenants) {
    db.execute("TRUNCATE steward_work");
    Instant due = Instant.now().minusSeconds(1);
    for (int from = 0; from < n; from += 10_000) {
      store.scheduleAll(items(from, Math.min(10_000, n - from), tenants, due), IfExists.REPLACE);
    }
    db.execute("VACUUM ANALYZE steward_work");
  }

  static double stewardDrain(DurablePostgres db, int n, int instances, int tenants)
      throws InterruptedException {
    scheduleSteward(db, JdbcWorkStore.of(db.admin()), n, tenants);
    Executions runs = new Executions(n);
    AtomicInteger lost = new AtomicInteger();
    List<WorkRunner> runners = new ArrayList<>();
    List<HikariDataSource> pools = new ArrayList<>();
    List<TimedStore> stores = new ArrayList<>();
    for (int k = 0; k < instances; k++) {
      HikariDataSource pool = db.pool("steward-" + k, 4);
      pools.add(pool);
      TimedStore store = new TimedStore(JdbcWorkStore.of(pool), n, new long[2]);
      stores.add(store);
      runners.add(
          noopRunner(store, runs, lost, "steward-" + k)
              .workers(STEWARD_WORKERS)
              .maxInFlight(STEWARD_MAX_IN_FLIGHT)
              .batchSize(STEWARD_BATCH)
              .pollInterval(POLL)
              .build());
    }
    long t0 = System.nanoTime();
    runners.forEach(WorkRunner::start);
    awaitDrained(runs, n, runners);
    long took = System.nanoTime() - t0;
    runners.forEach(WorkRunner::close);
    pools.forEach(db::closePool);
    check(db.queryLong("SELECT count(*) FROM steward_work") == 0, "steward: table not empty");
    check(lost.get() == 0, "steward: " + lost.get() + " leases lost");
    runs.verifyExactlyOnce("steward-" + instances);
    stores.forEach(st -> System.out.println("  steward-" + instances + " " + st.calls()));
    return n / (took / 1e9);
  }

  static WorkRunner.Builder noopRunner(
      WorkStore store, Executions runs, AtomicInteger lost, String owner) {
    return WorkRunner.builder(store, Clock.systemUTC())
        .owner(owner)
        .handler(
            NOOP,
            WorkHandler.sync(
                w -> {
                  runs.ran(w.item().key().id());
                  return Next.done();
                }))
        .listener(lostCounter(lost));
  }

  static WorkListener lostCounter(AtomicInteger lost) {
    return new WorkListener() {
      @Override
      public void onLeaseLost(Lease lease) {
        lost.incrementAndGet();
      }

      @Override
      public void onFailed(WorkItem item, Throwable error, boolean dead) {
        System.err.println("failed: " + item.key() + ": " + error);
      }
    };
  }

  /** Waits until every item ran and each runner has written back all it claimed. */
  static void awaitDrained(Executions runs, int n, List<WorkRunner> runners)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (true) {
      if (runs.total() >= n && runners.stream().allMatch(r -> r.inFlight() == 0)) {
        return;
      }
      check(System.nanoTime() < deadline, "drain did not finish: " + runs.total() + " of " + n);
      Thread.sleep(1);
    }
  }

  static double dbSchedulerDrain(DurablePostgres db, int n, int instances) throws Exception {
    db.execute("TRUNCATE scheduled_tasks");
    Executions runs = new Executions(n);
    OneTimeTask<Void> task =
        Tasks.oneTime("bench-noop").execute((instance, context) -> runs.ran(instance.getId()));
    SchedulerClient client = SchedulerClient.Builder.create(db.admin(), task).build();
    Instant due = Instant.now().minusSeconds(1);
    for (int from = 0; from < n; from += 10_000) {
      List<TaskInstance<?>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 10_000); i++) {
        batch.add(task.instance(Integer.toString(i)));
      }
      client.scheduleBatch(batch, due);
    }
    db.execute("VACUUM ANALYZE scheduled_tasks");
    List<Scheduler> schedulers = new ArrayList<>();
    List<HikariDataSource> pools = new ArrayList<>();
    for (int k = 0; k < instances; k++) {
      HikariDataSource pool = db.pool("dbs-" + k, DBS_THREADS + 4);
      pools.add(pool);
      schedulers.add(
          Scheduler.create(pool, task)
              .schedulerName(new SchedulerName.Fixed("dbs-" + k))
              .threads(DBS_THREADS)
              .pollUsingLockAndFetch(DBS_LOWER, DBS_UPPER)
              .pollingInterval(POLL)
              .build());
    }
    long t0 = System.nanoTime();
    schedulers.forEach(Scheduler::start);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (runs.total() < n) {
      check(System.nanoTime() < deadline, "db-scheduler did not finish: " + runs.total());
      Thread.sleep(1);
    }
    while (db.queryLong("SELECT count(*) FROM scheduled_tasks") > 0) {
      Thread.sleep(1);
    }
    long took = System.nanoTime() - t0;
    schedulers.forEach(Scheduler::stop);
    pools.forEach(db::closePool);
    runs.verifyExactlyOnce("db-scheduler-" + instances);
    return n / (took / 1e9);
  }

  // ---- raw-SQL ceilings -----------------------------------------------------------------------

  static final String PICK =
      "SELECT tenant_id, kind, item_id FROM steward_work WHERE state = 0 AND due_at <= ?"
          + " AND (lease_until IS NULL OR lease_until <= ?)"
          + " ORDER BY due_at, priority DESC, item_id LIMIT 100 FOR UPDATE SKIP LOCKED";
  static final String ONE_PHASE =
      "DELETE FROM steward_work WHERE (tenant_id, kind, item_id) IN ("
          + PICK
          + ") RETURNING item_id";
  static final String CLAIM =
      "UPDATE steward_work SET lease_owner = ?, lease_token = ?, lease_until = ?"
          + " WHERE (tenant_id, kind, item_id) IN ("
          + PICK
          + ") RETURNING tenant_id, kind, item_id";
  static final String DELETE_CLAIMED =
      "DELETE FROM steward_work w USING unnest(?::varchar[], ?::varchar[], ?::varchar[])"
          + " AS k(t, kd, i) WHERE w.tenant_id = k.t COLLATE \"C\" AND w.kind = k.kd COLLATE \"C\""
          + " AND w.item_id = k.i COLLATE \"C\" AND w.lease_token = ?";

  /** Two threads, batches of 100, on the same table and index as Steward, no library. */
  static double rawDrain(DurablePostgres db, int n, boolean twoPhase) throws Exception {
    scheduleSteward(db, JdbcWorkStore.of(db.admin()), n, 1);
    Executions runs = new Executions(n);
    HikariDataSource pool = db.pool(twoPhase ? "two-phase" : "one-phase", 2);
    List<Thread> threads = new ArrayList<>();
    AtomicLong failures = new AtomicLong();
    long t0 = System.nanoTime();
    for (int k = 0; k < 2; k++) {
      long token = k + 1;
      Thread t =
          new Thread(
              () -> {
                try (Connection c = pool.getConnection()) {
                  c.setAutoCommit(true);
                  while (twoPhase ? twoPhaseBatch(c, runs, token) : onePhaseBatch(c, runs)) {
                    // next batch
                  }
                } catch (SQLException e) {
                  failures.incrementAndGet();
                  e.printStackTrace();
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long took = System.nanoTime() - t0;
    db.closePool(pool);
    check(failures.get() == 0, "raw drain failed");
    check(db.queryLong("SELECT count(*) FROM steward_work") == 0, "raw: table not empty");
    runs.verifyExactlyOnce(twoPhase ? "two-phase" : "one-phase");
    return n / (took / 1e9);
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static boolean onePhaseBatch(Connection c, Executions runs) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ONE_PHASE)) {
      long now = nowNanos();
      ps.setLong(1, now);
      ps.setLong(2, now);
      int got = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          runs.ran(rs.getString(1));
          got++;
        }
      }
      return got > 0;
    }
  }

  private static boolean twoPhaseBatch(Connection c, Executions runs, long token)
      throws SQLException {
    List<String> tenants = new ArrayList<>(100);
    List<String> kinds = new ArrayList<>(100);
    List<String> ids = new ArrayList<>(100);
    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
      long now = nowNanos();
      ps.setString(1, "raw-" + token);
      ps.setLong(2, token);
      ps.setLong(3, now + 60_000_000_000L);
      ps.setLong(4, now);
      ps.setLong(5, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tenants.add(rs.getString(1));
          kinds.add(rs.getString(2));
          ids.add(rs.getString(3));
        }
      }
    }
    if (ids.isEmpty()) {
      return false;
    }
    ids.forEach(runs::ran);
    try (PreparedStatement ps = c.prepareStatement(DELETE_CLAIMED)) {
      ps.setArray(1, array(c, tenants));
      ps.setArray(2, array(c, kinds));
      ps.setArray(3, array(c, ids));
      ps.setLong(4, token);
      int deleted = ps.executeUpdate();
      check(deleted == ids.size(), "two-phase deleted " + deleted + " of " + ids.size());
    }
    return true;
  }

  private static Array array(Connection c, Collection<String> values) throws SQLException {
    return c.createArrayOf("varchar", values.toArray());
  }

  // ---- 2. claim rate over a large backlog -----------------------------------------------------

  /**
   * Webhook batches durably accepted per second: {@code batches} batches of {@code size} events,
   * each stored with its de-duplication marks in one transaction by {@code JdbcEventInbox}, on one
   * thread, as a webhook endpoint would take them one request after another. Every event must come
   * back as accepted once, and a second pass over the same batches as duplicates only.
   */
  private static void accept(int batches, int size) throws Exception {
    try (DurablePostgres db = DurablePostgres.start()) {
      StewardSchema.bootstrap(db.admin());
      System.out.println(settings(db));
      java.time.Clock clock = java.time.Clock.systemUTC();
      dev.steward.jdbc.JdbcEventInbox inbox =
          dev.steward.jdbc.JdbcEventInbox.of(db.pool("accept", 2));
      dev.steward.delivery.EventIngestor ingestor =
          dev.steward.delivery.EventIngestor.builder(inbox, clock)
              .listener("noop", events -> {})
              .build();
      List<List<dev.steward.model.EmailEvent>> all = new ArrayList<>();
      java.time.Instant t = java.time.Instant.parse("2026-03-02T09:00:00Z");
      for (int b = 0; b < batches; b++) {
        List<dev.steward.model.EmailEvent> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          int n = b * size + i;
          batch.add(
              dev.steward.model.EmailEvent.of(
                  "sg-" + n,
                  dev.steward.model.EmailEventType.DELIVERED,
                  t.plusSeconds(n % 86_400),
                  null,
                  dev.steward.model.MessageId.of("m-" + n),
                  dev.steward.model.TenantId.of("t" + (n % 4)),
                  null,
                  dev.steward.model.ContactId.of("c" + (n % 10_000)),
                  "offers",
                  java.util.Map.of("sg_message_id", "sg-msg-" + n)));
        }
        all.add(batch);
      }
      for (int round = 1; round <= 3; round++) {
        db.execute("TRUNCATE steward_work", "TRUNCATE steward_event_seen");
        long accepted = 0;
        long t0 = System.nanoTime();
        for (List<dev.steward.model.EmailEvent> batch : all) {
          accepted += ingestor.accept(batch).accepted();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long again = 0;
        for (List<dev.steward.model.EmailEvent> batch : all.subList(0, Math.min(10, all.size()))) {
          again += ingestor.accept(batch).accepted();
        }
        boolean ok = accepted == (long) batches * size && again == 0;
        System.out.printf(
            Locale.ROOT,
            "round %d accept %,d events in %,d batches of %,d: %.2f s, %,.0f events/s%s  load %s%n",
            round,
            accepted,
            batches,
            size,
            secs,
            accepted / secs,
            ok ? "" : "  FAILED (accepted " + accepted + ", re-accepted " + again + ")",
            load());
      }
    }
  }

  private static void stability(int n) throws Exception {
    try (DurablePostgres db = DurablePostgres.start()) {
      StewardSchema.bootstrap(db.admin());
      pgStatStatements(db);
      System.out.println(settings(db));
      long s0 = System.nanoTime();
      scheduleSteward(db, JdbcWorkStore.of(db.admin()), n, 1);
      System.out.printf(
          Locale.ROOT, "scheduled %,d items in %.1f s%n", n, (System.nanoTime() - s0) / 1e9);
      int step = n / 10;
      long[] claimedAt = new long[11];
      long[] ranAt = new long[11];
      HikariDataSource pool = db.pool("steward-0", 4);
      TimedStore store = new TimedStore(JdbcWorkStore.of(pool), step, claimedAt);
      Executions runs = new Executions(n);
      AtomicInteger lost = new AtomicInteger();
      WorkRunner runner =
          noopRunner(store, runs, lost, "steward-0")
              .workers(STEWARD_WORKERS)
              .maxInFlight(STEWARD_MAX_IN_FLIGHT)
              .batchSize(STEWARD_BATCH)
              .pollInterval(POLL)
              .build();
      long t0 = System.nanoTime();
      claimedAt[0] = t0;
      ranAt[0] = t0;
      store.start(t0);
      runner.start();
      int next = 1;
      while (runs.total() < n || runner.inFlight() > 0) {
        while (next <= 10 && runs.total() >= (long) next * step) {
          ranAt[next++] = System.nanoTime();
        }
        Thread.sleep(1);
      }
      while (next <= 10) {
        ranAt[next++] = System.nanoTime();
      }
      long took = System.nanoTime() - t0;
      runner.close();
      check(db.queryLong("SELECT count(*) FROM steward_work") == 0, "table not empty");
      check(lost.get() == 0, lost.get() + " leases lost");
      runs.verifyExactlyOnce("stability");
      System.out.println(store.calls());
      System.out.printf(
          Locale.ROOT,
          "drained %,d in %.1f s: %,.0f items/s (load %s)%n",
          n,
          took / 1e9,
          n / (took / 1e9),
          load());
      for (int d = 1; d <= 10; d++) {
        System.out.printf(
            Locale.ROOT,
            "tenth %2d: claimed %,9.0f items/s, executed %,9.0f items/s, %.2f ms per claim call%n",
            d,
            step / ((claimedAt[d] - claimedAt[d - 1]) / 1e9),
            step / ((ranAt[d] - ranAt[d - 1]) / 1e9),
            store.claimMillis(d));
      }
      double first = step / ((claimedAt[1] - claimedAt[0]) / 1e9);
      double last = step / ((claimedAt[10] - claimedAt[9]) / 1e9);
      System.out.printf(
          Locale.ROOT,
          "claim rate first tenth %,.0f/s, last tenth %,.0f/s, last/first %.2f%n",
          first,
          last,
          last / first);
      System.out.println(
          "autovacuum: "
              + db.queryStrings(
                  "SELECT 'autovacuum runs ' || autovacuum_count || ', dead tuples now '"
                      + " || n_dead_tup FROM pg_stat_user_tables WHERE relname = 'steward_work'"));
      printStatements(db);
    }
  }

  /**
   * A store that notes when the k-th multiple of {@code step} items had been claimed, and how long
   * the runner spent in each call to the store (round trips and commits included).
   */
  static final class TimedStore implements WorkStore {
    private final WorkStore delegate;
    private final int step;
    private final long[] at;
    private long claimed;
    private int next = 1;
    private final long[] claimNanosAt = new long[11];
    private final long[] claimCallsAt = new long[11];
    private final AtomicLong claimCalls = new AtomicLong();
    private final AtomicLong claimNanos = new AtomicLong();
    private final AtomicLong completeCalls = new AtomicLong();
    private final AtomicLong completeItems = new AtomicLong();
    private final AtomicLong completeNanos = new AtomicLong();
    private final AtomicLong renewCalls = new AtomicLong();
    private final AtomicLong renewNanos = new AtomicLong();

    TimedStore(WorkStore delegate, int step, long[] at) {
      this.delegate = delegate;
      this.step = step;
      this.at = at;
    }

    void start(long t0) {
      at[0] = t0;
    }

    /** Mean milliseconds per claim call within the {@code k}-th step. */
    double claimMillis(int k) {
      long calls = claimCallsAt[k] - claimCallsAt[k - 1];
      return (claimNanosAt[k] - claimNanosAt[k - 1]) / 1e6 / Math.max(1, calls);
    }

    /** Calls, items and mean milliseconds per call of claim, complete and renew. */
    String calls() {
      return String.format(
          Locale.ROOT,
          "store calls: claim %,d calls, %,d items, %.3f ms/call; complete %,d calls, %,d items,"
              + " %.3f ms/call; renew %,d calls, %.3f ms/call",
          claimCalls.get(),
          claimed,
          claimNanos.get() / 1e6 / Math.max(1, claimCalls.get()),
          completeCalls.get(),
          completeItems.get(),
          completeNanos.get() / 1e6 / Math.max(1, completeCalls.get()),
          renewCalls.get(),
          renewNanos.get() / 1e6 / Math.max(1, renewCalls.get()));
    }

    @Override
    public List<ClaimedWork> claim(ClaimRequest request) {
      long t = System.nanoTime();
      List<ClaimedWork> got = delegate.claim(request);
      claimNanos.addAndGet(System.nanoTime() - t);
      claimCalls.incrementAndGet();
      synchronized (this) {
        claimed += got.size();
        while (next < at.length && claimed >= (long) next * step) {
          claimNanosAt[Math.min(next, 10)] = claimNanos.get();
          claimCallsAt[Math.min(next, 10)] = claimCalls.get();
          at[next++] = System.nanoTime();
        }
      }
      return got;
    }

    @Override
    public List<Completion> complete(List<Completion> completions) {
      long t = System.nanoTime();
      List<Completion> applied = delegate.complete(completions);
      completeNanos.addAndGet(System.nanoTime() - t);
      completeCalls.incrementAndGet();
      completeItems.addAndGet(completions.size());
      return applied;
    }

    @Override
    public List<Lease> renew(Collection<Lease> leases, Duration lease) {
      long t = System.nanoTime();
      List<Lease> held = delegate.renew(leases, lease);
      renewNanos.addAndGet(System.nanoTime() - t);
      renewCalls.incrementAndGet();
      return held;
    }

    @Override
    public boolean schedule(WorkItem item, IfExists ifExists) {
      return delegate.schedule(item, ifExists);
    }

    @Override
    public int scheduleAll(Collection<WorkItem> items, IfExists ifExists) {
      return delegate.scheduleAll(items, ifExists);
    }

    @Override
    public int release(Collection<Lease> leases) {
      return delegate.release(leases);
    }

    @Override
    public boolean cancel(dev.steward.schedule.WorkKey key) {
      return delegate.cancel(key);
    }

    @Override
    public int cancelSubject(TenantId tenant, String subject) {
      return delegate.cancelSubject(tenant, subject);
    }

    @Override
    public int cancelTenant(TenantId tenant) {
      return delegate.cancelTenant(tenant);
    }

    @Override
    public java.util.Optional<WorkItem> find(dev.steward.schedule.WorkKey key) {
      return delegate.find(key);
    }

    @Override
    public List<WorkItem> findBySubject(TenantId tenant, String subject, String kind) {
      return delegate.findBySubject(tenant, subject, kind);
    }

    @Override
    public List<WorkItem> dead(int max) {
      return delegate.dead(max);
    }

    @Override
    public boolean retryDead(dev.steward.schedule.WorkKey key, Instant at) {
      return delegate.retryDead(key, at);
    }

    @Override
    public long count(dev.steward.schedule.WorkState state) {
      return delegate.count(state);
    }
  }

  // ---- where a claim's time goes ------------------------------------------------------------

  static final String NOW_SQL =
      "(CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT) * 1000)";

  /** The claim's SELECT as JdbcWorkStore issues it for one tenant (its fair pass). */
  static final String CLAIM_SELECT =
      "SELECT tenant_id, kind, item_id, subject, payload, payload_version, due_at, priority,"
          + " attempts, state, last_error FROM steward_work WHERE state = 0 AND tenant_id = 't0'"
          + " AND due_at <= %d AND (lease_until IS NULL OR lease_until <= "
          + NOW_SQL
          + ") ORDER BY due_at, priority DESC, item_id LIMIT 100 FOR UPDATE SKIP LOCKED";

  /**
   * EXPLAIN (ANALYZE, BUFFERS) of the claim's SELECT on a backlog: fresh; with 1,000 items leased
   * (a runner's items in flight); and with the head of the backlog deleted and not yet vacuumed.
   */
  private static void explain(int n) throws Exception {
    try (DurablePostgres db = DurablePostgres.start()) {
      StewardSchema.bootstrap(db.admin());
      JdbcWorkStore store = JdbcWorkStore.of(db.admin());
      scheduleSteward(db, store, n, 1);
      String select = String.format(Locale.ROOT, CLAIM_SELECT, nowNanos());
      plan(db, "fresh backlog of " + n, select);
      List<ClaimedWork> held = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        held.addAll(
            store.claim(ClaimRequest.of(Instant.now(), 100, "holder", Duration.ofMinutes(5))));
      }
      plan(db, held.size() + " items leased at the head", select);
      store.release(held.stream().map(ClaimedWork::lease).toList());
      db.execute(
          "DELETE FROM steward_work WHERE item_id IN (SELECT item_id FROM steward_work"
              + " ORDER BY due_at, priority DESC, item_id LIMIT "
              + n / 2
              + ")");
      plan(db, "head " + n / 2 + " deleted, not vacuumed", select);
      plan(db, "same, second look (index entries now marked dead)", select);
      db.execute("VACUUM steward_work");
      plan(db, "after VACUUM", select);
    }
  }

  private static void plan(DurablePostgres db, String what, String select) {
    System.out.println("---- " + what);
    db.execute("BEGIN");
    db.queryStrings("EXPLAIN (ANALYZE, BUFFERS) " + select).forEach(System.out::println);
    db.execute("ROLLBACK");
  }

  // ---- renewal against completion ------------------------------------------------------------

  /**
   * What a runner's heartbeat and completion writer do at once, through the store alone: one thread
   * renews 1,000 held leases in one call (as the heartbeat does, in the order it holds them),
   * another completes them in batches of 100 in another order (as answers arrive). Repeated {@code
   * rounds} times; counts the calls that fail, and why. With {@code sorted}, both threads hand the
   * store their leases in key order (each batch too), as a store that sorted its writes would: the
   * proposed fix, tried from outside.
   */
  private static void deadlock(int rounds, boolean sorted) throws Exception {
    try (DurablePostgres db = DurablePostgres.start()) {
      StewardSchema.bootstrap(db.admin());
      HikariDataSource pool = db.pool("deadlock", 4);
      JdbcWorkStore store = JdbcWorkStore.of(pool);
      AtomicInteger renewFailures = new AtomicInteger();
      AtomicInteger completeFailures = new AtomicInteger();
      Map<String, Integer> causes = new java.util.TreeMap<>();
      for (int round = 1; round <= rounds; round++) {
        scheduleSteward(db, store, 1_000, 1);
        List<Lease> leases =
            store
                .claim(ClaimRequest.of(Instant.now(), 1_000, "runner", Duration.ofMinutes(5)))
                .stream()
                .map(ClaimedWork::lease)
                .toList();
        List<Lease> shuffled = new ArrayList<>(leases);
        java.util.Collections.shuffle(shuffled, new java.util.Random(round));
        if (sorted) {
          java.util.Comparator<Lease> byKey =
              java.util.Comparator.comparing((Lease l) -> l.key().tenant().value())
                  .thenComparing(l -> l.key().kind())
                  .thenComparing(l -> l.key().id());
          List<Lease> ordered = new ArrayList<>(leases);
          ordered.sort(byKey);
          leases = ordered;
          for (int from = 0; from < shuffled.size(); from += 100) {
            shuffled.subList(from, from + 100).sort(byKey);
          }
        }
        List<Lease> held = leases;
        Thread heartbeat =
            new Thread(
                () -> {
                  for (int i = 0; i < 5; i++) {
                    try {
                      store.renew(held, Duration.ofMinutes(5));
                    } catch (RuntimeException e) {
                      renewFailures.incrementAndGet();
                      synchronized (causes) {
                        causes.merge(rootMessage(e), 1, Integer::sum);
                      }
                    }
                  }
                });
        Thread writer =
            new Thread(
                () -> {
                  for (int from = 0; from < shuffled.size(); from += 100) {
                    List<Completion> batch = new ArrayList<>();
                    for (Lease l : shuffled.subList(from, from + 100)) {
                      batch.add(new Completion.Done(l));
                    }
                    try {
                      store.complete(batch);
                    } catch (RuntimeException e) {
                      completeFailures.incrementAndGet();
                      synchronized (causes) {
                        causes.merge(rootMessage(e), 1, Integer::sum);
                      }
                    }
                  }
                });
        heartbeat.start();
        writer.start();
        heartbeat.join();
        writer.join();
      }
      System.out.printf(
          Locale.ROOT,
          (sorted ? "sorted, " : "as the runner does, ")
              + "%d rounds: renew calls failed %d of %d, complete calls failed %d of %d%n",
          rounds,
          renewFailures.get(),
          rounds * 5,
          completeFailures.get(),
          rounds * 10);
      causes.forEach((m, c) -> System.out.println("  " + c + " x " + m));
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return t.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
  }

  // ---- 3. a handler that waits 200 ms ---------------------------------------------------------

  private static void slow(int syncItems, int asyncItems) throws Exception {
    ScheduledExecutorService timer =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "network");
              t.setDaemon(true);
              return t;
            });
    try (DurablePostgres db = DurablePostgres.start()) {
      StewardSchema.bootstrap(db.admin());
      System.out.println(settings(db));
      for (String where : List.of("memory", "postgres")) {
        for (boolean async : new boolean[] {false, true}) {
          int n = async ? asyncItems : syncItems;
          IntFunction<WorkStore> storeFor =
              k -> {
                if (where.equals("memory")) {
                  return InMemoryWorkStore.of(Clock.systemUTC());
                }
                return JdbcWorkStore.of(db.pool("slow-" + k, 4));
              };
          WorkStore store = storeFor.apply(async ? 1 : 0);
          if (where.equals("postgres")) {
            scheduleSteward(db, store, n, 1);
          } else {
            Instant due = Instant.now().minusSeconds(1);
            for (int from = 0; from < n; from += 10_000) {
              store.scheduleAll(items(from, Math.min(10_000, n - from), 1, due), IfExists.REPLACE);
            }
          }
          Executions runs = new Executions(n);
          AtomicInteger lost = new AtomicInteger();
          WorkHandler<String> handler =
              async
                  ? w -> {
                    CompletableFuture<Next> f = new CompletableFuture<>();
                    String id = w.item().key().id();
                    timer.schedule(
                        () -> {
                          runs.ran(id);
                          f.complete(Next.done());
                        },
                        200,
                        TimeUnit.MILLISECONDS);
                    return f;
                  }
                  : w -> {
                    Thread.sleep(200);
                    runs.ran(w.item().key().id());
                    return CompletableFuture.completedFuture(Next.done());
                  };
          WorkRunner runner =
              WorkRunner.builder(store, Clock.systemUTC())
                  .owner("slow")
                  .handler(NOOP, handler)
                  .listener(lostCounter(lost))
                  .workers(async ? 8 : 32)
                  .maxInFlight(async ? 1000 : 32)
                  .batchSize(100)
                  .pollInterval(POLL)
                  .lease(Duration.ofSeconds(2))
                  .heartbeat(Duration.ofMillis(500))
                  .build();
          long t0 = System.nanoTime();
          runner.start();
          awaitDrained(runs, n, List.of(runner));
          long took = System.nanoTime() - t0;
          runner.close();
          String verdict = "every item ran exactly once";
          try {
            check(store.count(dev.steward.schedule.WorkState.READY) == 0, "store not empty");
            runs.verifyExactlyOnce("slow " + where);
          } catch (IllegalStateException e) {
            // the figure is printed marked as failed, never as a result
            verdict = "FAILED: " + e.getMessage();
          }
          System.out.printf(
              Locale.ROOT,
              "%-8s %-5s %,7d items in %5.2f s: %,8.1f items/s, leases lost %d, %s, load %s%n",
              where,
              async ? "async" : "sync",
              n,
              took / 1e9,
              n / (took / 1e9),
              lost.get(),
              verdict,
              load());
        }
      }
    } finally {
      timer.shutdownNow();
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  static String load() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  static String settings(DurablePostgres db) {
    return "server: "
        + String.join(
            ", ",
            db.queryStrings(
                "SELECT name || '=' || setting FROM pg_settings WHERE name IN"
                    + " ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method',"
                    + " 'shared_buffers', 'server_version', 'autovacuum_naptime') ORDER BY name"))
        + "; steward maxInFlight "
        + STEWARD_MAX_IN_FLIGHT
        + "; db-scheduler threads "
        + DBS_THREADS
        + ", lock-and-fetch upper fraction "
        + DBS_UPPER;
  }

  static void pgStatStatements(DurablePostgres db) {
    try {
      db.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    } catch (IllegalStateException e) {
      System.out.println("pg_stat_statements unavailable: " + e.getCause().getMessage());
    }
  }

  static void printStatements(DurablePostgres db) {
    try {
      List<String> rows =
          db.queryStrings(
              "SELECT lpad(calls::text, 10) || ' calls ' || lpad(round(total_exec_time)::text, 8)"
                  + " || ' ms ' || lpad(round(mean_exec_time::numeric, 3)::text, 9) || ' ms/call '"
                  + " || lpad(rows::text, 10) || ' rows  ' || lpad(round(total_plan_time)::text, 8) || ' plan ms ' || lpad((shared_blks_hit / calls)::text, 6) || ' hits/call ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 160)"
                  + " FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25");
      System.out.println("pg_stat_statements, by total execution time:");
      rows.forEach(System.out::println);
    } catch (IllegalStateException e) {
      System.out.println("no pg_stat_statements: " + e.getMessage());
    }
  }

  static void summary(Map<String, List<Double>> rates) {
    System.out.println("summary (items/s; round 1 includes JIT warm-up):");
    for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
      List<Double> r = e.getValue();
      List<Double> later = r.size() > 1 ? r.subList(1, r.size()) : r;
      double mean = later.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      double min = later.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double max = later.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      StringBuilder all = new StringBuilder();
      for (double x : r) {
        all.append(String.format(Locale.ROOT, "%,.0f ", x));
      }
      System.out.printf(
          Locale.ROOT,
          "%-26s mean %,9.0f  min %,9.0f  max %,9.0f (rounds 2..)  all: %s%n",
          e.getKey(),
          mean,
          min,
          max,
          all);
    }
  }
}
