package dev.steward.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.jdbc.JdbcStores;
import dev.steward.jdbc.StewardSchema;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.InMemoryJourneyAnalyticsStore;
import dev.steward.journey.JourneyScheduler;
import dev.steward.model.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Journey steps per second on a durable embedded PostgreSQL (see {@link DurablePostgres}): two
 * Steward instances drain the same journey work, and, in the same run and on the same database, two
 * db-scheduler 16.12.0 schedulers run equivalent one-off tasks. Not JMH: runners start their own
 * threads; a drain is timed from the start of the executors to the moment the last step's
 * completion is written, and every (contact, step) is counted so that a figure is printed only if
 * each was sent exactly once.
 *
 * <p>Each round, for {@code contacts} contacts (profiles stored once, before the rounds):
 *
 * <ul>
 *   <li>{@code steward-2}: each contact enrolled (outside the timing) in a journey of one send
 *       step, so one work item per step; then two {@link Steward}s, each over {@link JdbcStores} on
 *       its own pool, {@code start()}: each step claims its item, loads the enrolment and the
 *       profile, dispatches through the full pipeline (consent, suppressions, caps, the ledger's
 *       intent and mark, analytics) and stores the enrolment's change and history entry;
 *   <li>{@code db-scheduler-2}: one one-off task per contact scheduled (outside the timing), then
 *       two db-scheduler {@link Scheduler}s: each task loads the contact's profile from the same
 *       journey store and dispatches the same message through a Steward's dispatcher (the same
 *       pipeline and stores; no enrolment is kept).
 * </ul>
 *
 * <p>Prints {@code pg_stat_statements} at the end (counted from after the profiles were stored):
 * with {@code only} set to one contestant, the statements its steps (and its set-up) cost.
 *
 * <p>Arguments: {@code throughput [rounds] [contacts] [only]} (defaults 3, 20000, all); {@code
 * -Dbench.workers} (Steward's workers per instance, default 8), {@code -Dbench.dbs.threads}
 * (db-scheduler's threads per instance, default 20), {@code -Dbench.analyze} ({@link
 * #analyzeSharedTables}, default false), {@code -Dbench.analytics} ({@link #ANALYTICS}), {@code
 * -Dbench.steps} ({@code default}, the default registration, over PostgreSQL: a claim's steps read,
 * plan and dispatch together; {@code batch}, the same; or {@code single}, each step alone, for
 * comparison).
 */
public final class JourneyDrains {

  static final int STEWARD_WORKERS = Integer.getInteger("bench.workers", 8);
  static final int STEWARD_POOL = STEWARD_WORKERS + 4;
  static final int DBS_THREADS = Integer.getInteger("bench.dbs.threads", 20);
  static final Duration POLL = Duration.ofMillis(100);
  static final int ENROLLING_THREADS = 4;

  /**
   * Where journey analytics count: {@code jdbc} (the default, as Steward is wired over {@link
   * JdbcStores}), or {@code memory}, one {@link InMemoryJourneyAnalyticsStore} per instance, to
   * show what counting on the database costs each step.
   */
  static final String ANALYTICS = System.getProperty("bench.analytics", "jdbc");

  private JourneyDrains() {}

  /** Runs the mode named by the first argument. */
  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "throughput";
    if (!mode.equals("throughput")) {
      throw new IllegalArgumentException("unknown mode " + mode);
    }
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int contacts = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    String only = args.length > 3 ? args[3] : "all";
    throughput(rounds, contacts, only);
    System.exit(0);
  }

  private static void throughput(int rounds, int contacts, String only) throws Exception {
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    try (DurablePostgres db = DurablePostgres.start()) {
      StewardSchema.bootstrap(db.admin());
      db.execute(WorkEngineDrains.DDL_DB_SCHEDULER);
      db.execute(WorkEngineDrains.DDL_DB_SCHEDULER_INDEXES);
      WorkEngineDrains.pgStatStatements(db);
      System.out.println(
          WorkEngineDrains.settings(db).replaceAll("; steward maxInFlight.*", "")
              + "; steward workers "
              + STEWARD_WORKERS
              + " per instance; db-scheduler threads "
              + DBS_THREADS
              + " per instance; journey analytics "
              + ANALYTICS
              + "; steps "
              + JourneyFixture.STEP_MODE);
      HikariDataSource setup = db.pool("setup", ENROLLING_THREADS);
      Stores setupStores = stores(setup);
      long t0 = System.nanoTime();
      parallel(contacts, i -> setupStores.journeys().putContact(JourneyFixture.profile(i)));
      System.out.printf(
          Locale.ROOT, "%,d profiles stored in %.1f s%n", contacts, (System.nanoTime() - t0) / 1e9);
      resetStatements(db);
      JourneyFixture.Tally transport = new JourneyFixture.Tally(contacts, 1);
      for (int round = 1; round <= rounds; round++) {
        for (String who : List.of("steward-2", "db-scheduler-2")) {
          if (!only.equals("all") && !who.startsWith(only)) {
            continue;
          }
          double rate =
              who.startsWith("steward")
                  ? stewardDrain(db, setupStores, transport, contacts, 2)
                  : dbSchedulerDrain(db, transport, contacts, 2, round);
          rates.computeIfAbsent(who, k -> new ArrayList<>()).add(rate);
          System.out.printf(
              Locale.ROOT,
              "round %d %-15s %,10.0f steps/s  load %s%n",
              round,
              who,
              rate,
              WorkEngineDrains.load());
        }
      }
      // with one contestant only, what its steps cost in statements (enrolling included)
      WorkEngineDrains.printStatements(db);
    }
    WorkEngineDrains.summary(rates);
  }

  private static void resetStatements(DurablePostgres db) {
    try {
      db.queryStrings("SELECT pg_stat_statements_reset()::text");
    } catch (IllegalStateException e) {
      System.out.println("pg_stat_statements not reset: " + e.getMessage());
    }
  }

  /** Runs {@code body} for 0..n-1 on a few threads (stores profiles, enrols). */
  static void parallel(int n, IntConsumer body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(ENROLLING_THREADS);
    try {
      List<Future<?>> parts = new ArrayList<>();
      for (int k = 0; k < ENROLLING_THREADS; k++) {
        int first = k;
        parts.add(
            pool.submit(
                () -> {
                  for (int i = first; i < n; i += ENROLLING_THREADS) {
                    body.accept(i);
                  }
                }));
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static double stewardDrain(
      DurablePostgres db, Stores setupStores, JourneyFixture.Tally transport, int n, int instances)
      throws Exception {
    transport.reset(n, 1);
    // enrol with a Steward that never starts: each enrolment and its item due now
    Steward enroller =
        JourneyFixture.steward(
            Clock.systemUTC(), setupStores, transport, r -> {}, JourneyFixture.ONE_SEND);
    JourneyScheduler journeys = JourneyFixture.journeys(enroller);
    parallel(
        n,
        i -> {
          EnrolResult r =
              journeys.enrol(
                  JourneyFixture.TENANT, JourneyFixture.contact(i), JourneyFixture.ONE_SEND.id());
          if (r.status() != EnrolResult.Status.ENROLLED) {
            throw new IllegalStateException("contact " + i + " not enrolled: " + r);
          }
        });
    db.execute("VACUUM ANALYZE steward_work", "VACUUM ANALYZE steward_journey_enrolment");
    analyzeSharedTables(db);
    List<Steward> stewards = new ArrayList<>();
    List<HikariDataSource> pools = new ArrayList<>();
    for (int k = 0; k < instances; k++) {
      HikariDataSource pool = db.pool("steward-" + k, STEWARD_POOL);
      pools.add(pool);
      String owner = "steward-" + k;
      stewards.add(
          JourneyFixture.steward(
              Clock.systemUTC(),
              stores(pool),
              transport,
              r ->
                  r.owner(owner)
                      .workers(STEWARD_WORKERS)
                      .maxInFlight(WorkEngineDrains.STEWARD_MAX_IN_FLIGHT)
                      .batchSize(WorkEngineDrains.STEWARD_BATCH)
                      .pollInterval(POLL),
              JourneyFixture.ONE_SEND));
    }
    Cost before = Cost.of(db);
    long t0 = System.nanoTime();
    stewards.forEach(Steward::start);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (transport.total() < n
        || stewards.stream().anyMatch(s -> s.runner().inFlight() > 0)
        || stepsLeft(db) > 0) {
      WorkEngineDrains.check(
          System.nanoTime() < deadline, "steward did not finish: " + transport.total() + " sent");
      Thread.sleep(transport.total() < n ? 1 : 10);
    }
    long took = System.nanoTime() - t0;
    stewards.forEach(Steward::close);
    pools.forEach(db::closePool);
    transport.verifyExactlyOnce("steward-" + instances);
    Cost.of(db).minus(before).print("steward-" + instances, n);
    printUpdates(db);
    explainLedger(db);
    long unfinished =
        db.queryLong(
            "SELECT count(*) FROM steward_journey_enrolment WHERE journey_id = '"
                + JourneyFixture.ONE_SEND.id()
                + "' AND state NOT IN ('COMPLETED', 'EXITED')");
    WorkEngineDrains.check(unfinished == 0, "steward: " + unfinished + " enrolments unfinished");
    return n / (took / 1e9);
  }

  /** The JDBC stores over a pool, with journey analytics where {@link #ANALYTICS} says. */
  static Stores stores(HikariDataSource pool) {
    Stores s = JdbcStores.of(pool);
    if (ANALYTICS.equals("jdbc")) {
      return s;
    }
    if (!ANALYTICS.equals("memory")) {
      throw new IllegalArgumentException("bench.analytics is jdbc or memory, was " + ANALYTICS);
    }
    return new Stores(
        s.consent(),
        s.suppressions(),
        s.capLedger(),
        s.calendar(),
        s.ledger(),
        s.work(),
        s.inbox(),
        s.healthHistory(),
        s.healthBands(),
        s.engagement(),
        s.governanceMetrics(),
        s.standings(),
        s.onboarding(),
        s.pilot(),
        s.poolAssignments(),
        s.journeys(),
        s.tasks(),
        InMemoryJourneyAnalyticsStore.of(),
        s.triggers());
  }

  /**
   * Statistics for the tables both contestants' sends read by key (the calendar, the delivery
   * ledger), as autovacuum keeps them on a database in use: a table created by the run and never
   * analysed (autovacuum wakes every 60 s) has none, and PostgreSQL 17 then serves a lookup by
   * primary key through the (tenant, contact, time) index, filtering every row of the tenant, so
   * each lookup costs more the more the run has written (pg14: 1.4 ms for a calendar find of 2,000
   * rows, 0.01 ms once analysed). Off by default since schema versions 25 and 26 (pgtx2): the
   * primary key is then the only index a look-up by key can take, and analysing here, before round
   * 1, analysed both tables empty, the worst statistics of all. {@code -Dbench.analyze=true}
   * analyses them.
   */
  static void analyzeSharedTables(DurablePostgres db) {
    if (Boolean.parseBoolean(System.getProperty("bench.analyze", "false"))) {
      db.execute("ANALYZE steward_calendar_entry", "ANALYZE steward_delivery");
    }
  }

  private static long stepsLeft(DurablePostgres db) {
    return db.queryLong(
        "SELECT count(*) FROM steward_work WHERE kind = '" + JourneyScheduler.STEP_KIND + "'");
  }

  static double dbSchedulerDrain(
      DurablePostgres db, JourneyFixture.Tally transport, int n, int instances, int round)
      throws Exception {
    transport.reset(n, 1);
    db.execute("TRUNCATE scheduled_tasks");
    List<Scheduler> schedulers = new ArrayList<>();
    List<HikariDataSource> pools = new ArrayList<>();
    OneTimeTask<Void> first = null;
    for (int k = 0; k < instances; k++) {
      // the pipeline each scheduler's tasks call: a Steward over the same stores, never started
      HikariDataSource stewardPool = db.pool("dbs-steward-" + k, DBS_THREADS);
      pools.add(stewardPool);
      Steward steward =
          JourneyFixture.steward(
              Clock.systemUTC(), stores(stewardPool), transport, r -> {}, JourneyFixture.ONE_SEND);
      Stores stores = steward.stores();
      OneTimeTask<Void> task =
          Tasks.oneTime("bench-journey-step")
              .execute(
                  (instance, context) -> {
                    int i = Integer.parseInt(instance.getId());
                    ContactProfile p =
                        stores
                            .journeys()
                            .contact(JourneyFixture.TENANT, JourneyFixture.contact(i))
                            .orElseThrow();
                    Message m = JourneyFixture.message(p, "dbs-" + round + "-" + i, Instant.now());
                    JourneyFixture.requireSent(steward.dispatch(m), "task " + i);
                  });
      first = first == null ? task : first;
      HikariDataSource pool = db.pool("dbs-" + k, DBS_THREADS + 4);
      pools.add(pool);
      schedulers.add(
          Scheduler.create(pool, task)
              .schedulerName(new SchedulerName.Fixed("dbs-" + k))
              .threads(DBS_THREADS)
              .pollUsingLockAndFetch(WorkEngineDrains.DBS_LOWER, WorkEngineDrains.DBS_UPPER)
              .pollingInterval(POLL)
              .build());
    }
    SchedulerClient client = SchedulerClient.Builder.create(db.admin(), first).build();
    Instant due = Instant.now().minusSeconds(1);
    for (int from = 0; from < n; from += 10_000) {
      List<TaskInstance<?>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 10_000); i++) {
        batch.add(first.instance(Integer.toString(i)));
      }
      client.scheduleBatch(batch, due);
    }
    db.execute("VACUUM ANALYZE scheduled_tasks");
    analyzeSharedTables(db);
    Cost before = Cost.of(db);
    long t0 = System.nanoTime();
    schedulers.forEach(Scheduler::start);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (transport.total() < n || db.queryLong("SELECT count(*) FROM scheduled_tasks") > 0) {
      WorkEngineDrains.check(
          System.nanoTime() < deadline,
          "db-scheduler did not finish: " + transport.total() + " sent");
      Thread.sleep(transport.total() < n ? 1 : 10);
    }
    long took = System.nanoTime() - t0;
    schedulers.forEach(Scheduler::stop);
    pools.forEach(db::closePool);
    transport.verifyExactlyOnce("db-scheduler-" + instances);
    Cost.of(db).minus(before).print("db-scheduler-" + instances, n);
    return n / (took / 1e9);
  }

  /**
   * What a drain cost: statements executed and their execution time (from {@code
   * pg_stat_statements}, the benchmark's own statistics queries left out) and transactions
   * committed ({@code pg_stat_database.xact_commit}, every autocommit statement one: each a WAL
   * flush with fsync on). Read after the drain's pools are closed, so that their backends have
   * reported; the runner's few polling counts are included.
   */
  record Cost(
      long statements, double ms, double planMs, long commits, long serverCpuMs, long clientCpuMs) {
    static Cost of(DurablePostgres db) {
      try {
        Thread.sleep(1_100); // cumulative statistics reach pg_stat_database about once a second
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<String> s =
          db.queryStrings(
              "SELECT coalesce(sum(calls), 0)::text || ' ' || coalesce(sum(total_exec_time), 0)"
                  + "::text || ' ' || coalesce(sum(total_plan_time), 0)::text"
                  + " FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%'");
      String[] parts = s.get(0).split(" ");
      long commits =
          db.queryLong(
              "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
      long client =
          ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
      return new Cost(
          Long.parseLong(parts[0]),
          Double.parseDouble(parts[1]),
          Double.parseDouble(parts[2]),
          commits,
          db.serverCpuMillis(),
          client);
    }

    Cost minus(Cost o) {
      return new Cost(
          statements - o.statements,
          ms - o.ms,
          planMs - o.planMs,
          commits - o.commits,
          serverCpuMs - o.serverCpuMs,
          clientCpuMs - o.clientCpuMs);
    }

    /**
     * Per step: statements, commits, their execution time on the server and their planning time
     * (zero unless {@code -Dbench.pg.pg_stat_statements.track_planning=on}), then the CPU the
     * server's processes (the statements' parsing, planning, WAL writing and flushing, vacuum) and
     * this JVM (the contestant's threads, the driver, the pool, the benchmark's own polling) used
     * over the drain, in microseconds: on two shared cores the drain is bound by their sum.
     */
    void print(String who, int steps) {
      System.out.printf(
          Locale.ROOT,
          "  %-15s per step: %5.1f statements  %5.2f commits  %6.3f server ms  %6.3f plan ms"
              + "  cpu us: server %5.0f  jvm %5.0f  total %5.0f%n",
          who,
          statements / (double) steps,
          commits / (double) steps,
          ms / steps,
          planMs / steps,
          serverCpuMs * 1000.0 / steps,
          clientCpuMs * 1000.0 / steps,
          (serverCpuMs + clientCpuMs) * 1000.0 / steps);
    }
  }

  /**
   * Of each table a step updates, its updates since the server started and how many of them were
   * HOT (no new index entries: no indexed column changed and the page had room), and its indexes:
   * an update that is not HOT writes an entry in every index of the table.
   */
  static void printUpdates(DurablePostgres db) {
    db.queryStrings(
            "SELECT '  ' || relname || ': ' || n_tup_upd || ' updates, ' || n_tup_hot_upd"
                + " || ' HOT; ' || n_tup_ins || ' inserts; indexes '"
                + " || (SELECT count(*) FROM pg_index i WHERE i.indrelid = relid)"
                + " FROM pg_stat_user_tables WHERE relname IN ('steward_work',"
                + " 'steward_journey_enrolment', 'steward_journey_history', 'steward_calendar_entry',"
                + " 'steward_delivery', 'steward_cap_ledger', 'steward_journey_tally',"
                + " 'steward_journey_mark') ORDER BY relname")
        .forEach(System.out::println);
  }

  /**
   * The plans of the delivery ledger's two slowest statements of a step (the send's look-up of its
   * key, and the outcome's mark) on the drained database, with their timings: a missing index or an
   * unanalysed table shows here. The mark runs in a transaction rolled back.
   */
  static void explainLedger(DurablePostgres db) {
    try (Connection c = db.admin().getConnection()) {
      System.out.println(
          "  steward_delivery: "
              + db.queryStrings(
                  "SELECT n_live_tup || ' live rows, analysed ' || coalesce(last_analyze::text,"
                      + " 'never') || ', autoanalysed ' || coalesce(last_autoanalyze::text,"
                      + " 'never') FROM pg_stat_user_tables WHERE relname = 'steward_delivery'"));
      String key = db.queryStrings("SELECT idempotency_key FROM steward_delivery LIMIT 1").get(0);
      explain(
          c,
          "SELECT tenant_id, idempotency_key, message_id, account_id, contact_id, status,"
              + " provider_message_id, created_at, updated_at FROM steward_delivery"
              + " WHERE tenant_id = ? AND idempotency_key = ?",
          JourneyFixture.TENANT.value(),
          "absent-key");
      c.setAutoCommit(false);
      explain(
          c,
          "UPDATE steward_delivery SET status = ?, provider_message_id = ?, updated_at = ?"
              + " WHERE tenant_id = ? AND idempotency_key = ? AND status IN (?, ?, ?, ?)",
          "SENT",
          "p",
          1L,
          JourneyFixture.TENANT.value(),
          key,
          "SENDING",
          "RETRYING",
          "UNKNOWN",
          "SENT");
      c.rollback();
      c.setAutoCommit(true);
      // pgtx2: the calendar's look-up by key (a step's plan and SENT record), schema version 26
      explain(
          c,
          "SELECT status FROM steward_calendar_entry WHERE tenant_id = ? AND entry_id = ?",
          JourneyFixture.TENANT.value(),
          "absent-entry");
    } catch (SQLException e) {
      System.out.println("  no plans: " + e.getMessage());
    }
  }

  private static void explain(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, SUMMARY OFF) " + sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          System.out.println("    " + rs.getString(1));
        }
      }
    }
  }
}
