package dev.steward.benchmarks;

import dev.steward.delivery.Decision;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.jdbc.JdbcCapLedgerStore;
import dev.steward.jdbc.StewardSchema;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frequency-cap decisions on an embedded, durable PostgreSQL (fsync and synchronous_commit on; see
 * {@link EmbeddedDatabase}) from two threads: Bucket4j's two PostgreSQL backends (SELECT ... FOR
 * UPDATE, and transaction-scoped advisory locks) beside Steward's limiter over its JDBC ledger, on
 * the same stream and the same simulated clock. Two streams: {@code spread}, 100,000 contacts (a
 * mix of allowed and refused), and {@code hot}, 1,000 contacts at their caps (about 99 % refused).
 * Each side gets its own fresh server per trial.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Threads(2)
public class PostgresCapBenchmark {

  /** Connections in each side's pool: one per benchmark thread and some slack. */
  static final int POOL_SIZE = 4;

  /** Bucket4j's PostgreSQL proxy manager on a table created in the trial's setup. */
  @State(Scope.Benchmark)
  public static class Bucket4jPostgres {
    /** The stream: {@code spread} over 100,000 contacts or {@code hot} over 1,000. */
    @Param({"spread", "hot"})
    public String stream;

    Workload workload;
    SimulatedTime time;
    private EmbeddedDatabase database;
    private ProxyManager<String> buckets;
    private BucketConfiguration contactConfiguration;
    private BucketConfiguration categoryConfiguration;

    /** Starts PostgreSQL, creates Bucket4j's table and its proxy manager on the simulated clock. */
    @Setup(Level.Trial)
    public void setUp() {
      workload = Workload.of(stream);
      time = new SimulatedTime();
      database = EmbeddedDatabase.start(POOL_SIZE);
      database.execute(
          "CREATE TABLE bucket (id VARCHAR(200) PRIMARY KEY, state BYTEA, expires_at BIGINT)");
      buckets =
          Bucket4jPostgreSQL.selectForUpdateBasedBuilder(database.dataSource())
              .primaryKeyMapper(PrimaryKeyMapper.STRING)
              .clientClock(time.timeMeter())
              .build();
      contactConfiguration = Bucket4jCaps.contactConfiguration();
      categoryConfiguration = Bucket4jCaps.categoryConfiguration();
    }

    /** Stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
      database.close();
    }
  }

  /** One decision by Bucket4j on PostgreSQL: one transaction per bucket touched. */
  @Benchmark
  public long bucket4jPostgres(Bucket4jPostgres s, Cursor cursor, Tally tally) {
    int position = cursor.next();
    int contact = s.workload.contact(position);
    int category = s.workload.category(position);
    s.time.tick();
    long wait =
        Bucket4jCaps.decide(
            s.buckets.getProxy(s.workload.contactId(contact), () -> s.contactConfiguration),
            s.buckets.getProxy(
                s.workload.categoryKey(contact, category), () -> s.categoryConfiguration));
    tally.count(wait == 0L);
    return wait;
  }

  /**
   * Bucket4j's advisory-lock PostgreSQL backend: each bucket touched is one transaction that takes
   * {@code pg_advisory_xact_lock} on the key's hash, then SELECTs, and UPDATEs (or INSERTs).
   */
  @State(Scope.Benchmark)
  public static class Bucket4jPostgresAdvisory {
    /** The stream: {@code spread} over 100,000 contacts or {@code hot} over 1,000. */
    @Param({"spread", "hot"})
    public String stream;

    Workload workload;
    SimulatedTime time;
    private EmbeddedDatabase database;
    private ProxyManager<String> buckets;
    private BucketConfiguration contactConfiguration;
    private BucketConfiguration categoryConfiguration;

    /** Starts PostgreSQL, creates Bucket4j's table and its proxy manager on the simulated clock. */
    @Setup(Level.Trial)
    public void setUp() {
      workload = Workload.of(stream);
      time = new SimulatedTime();
      database = EmbeddedDatabase.start(POOL_SIZE);
      database.execute(
          "CREATE TABLE bucket (id VARCHAR(200) PRIMARY KEY, state BYTEA, expires_at BIGINT)");
      // string keys: the default lock id supplier takes the key's hashCode as the advisory lock id
      buckets =
          Bucket4jPostgreSQL.advisoryLockBasedBuilder(database.dataSource())
              .primaryKeyMapper(PrimaryKeyMapper.STRING)
              .clientClock(time.timeMeter())
              .build();
      contactConfiguration = Bucket4jCaps.contactConfiguration();
      categoryConfiguration = Bucket4jCaps.categoryConfiguration();
    }

    /** Stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
      database.close();
    }
  }

  /** One decision by Bucket4j's advisory-lock backend: one transaction per bucket touched. */
  @Benchmark
  public long bucket4jPostgresAdvisory(Bucket4jPostgresAdvisory s, Cursor cursor, Tally tally) {
    int position = cursor.next();
    int contact = s.workload.contact(position);
    int category = s.workload.category(position);
    s.time.tick();
    long wait =
        Bucket4jCaps.decide(
            s.buckets.getProxy(s.workload.contactId(contact), () -> s.contactConfiguration),
            s.buckets.getProxy(
                s.workload.categoryKey(contact, category), () -> s.categoryConfiguration));
    tally.count(wait == 0L);
    return wait;
  }

  /** Steward's limiter over its JDBC ledger on PostgreSQL, schema from its own bootstrap. */
  @State(Scope.Benchmark)
  public static class StewardPostgres {
    /** The stream: {@code spread} over 100,000 contacts or {@code hot} over 1,000. */
    @Param({"spread", "hot"})
    public String stream;

    Workload workload;
    SimulatedTime time;
    StewardCaps messages;
    FrequencyCapLimiter limiter;
    private EmbeddedDatabase database;

    /**
     * Starts PostgreSQL, applies Steward's schema and builds the limiter on the simulated clock.
     */
    @Setup(Level.Trial)
    public void setUp() {
      workload = Workload.of(stream);
      time = new SimulatedTime();
      messages = new StewardCaps(workload);
      database = EmbeddedDatabase.start(POOL_SIZE);
      StewardSchema.bootstrap(database.dataSource());
      limiter =
          FrequencyCapLimiter.builder(JdbcCapLedgerStore.of(database.dataSource()), time.clock())
              .policy(StewardCaps.policy())
              .build();
    }

    /** Stops the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
      database.close();
    }
  }

  /**
   * One decision by Steward on PostgreSQL: an unlocked read of the contact's log, and only when
   * that may allow, one transaction locking it (a refusal writes nothing).
   */
  @Benchmark
  public Decision stewardPostgres(StewardPostgres s, Cursor cursor, Tally tally) {
    int position = cursor.next();
    int contact = s.workload.contact(position);
    int category = s.workload.category(position);
    s.time.tick();
    Decision decision = s.limiter.decide(s.messages.message(contact, category));
    tally.count(decision.isAllowed());
    return decision;
  }
}
