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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frequency-cap decisions on an embedded PostgreSQL from two threads: Bucket4j's PostgreSQL backend
 * (SELECT ... FOR UPDATE) beside Steward's limiter over its JDBC ledger, on the same stream of
 * 100,000 contacts and the same simulated clock. Each side gets its own fresh server per trial.
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
    Workload workload;
    SimulatedTime time;
    private EmbeddedDatabase database;
    private ProxyManager<String> buckets;
    private BucketConfiguration contactConfiguration;
    private BucketConfiguration categoryConfiguration;

    /** Starts PostgreSQL, creates Bucket4j's table and its proxy manager on the simulated clock. */
    @Setup(Level.Trial)
    public void setUp() {
      workload = new Workload();
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

  /** Steward's limiter over its JDBC ledger on PostgreSQL, schema from its own bootstrap. */
  @State(Scope.Benchmark)
  public static class StewardPostgres {
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
      workload = new Workload();
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

  /** One decision by Steward on PostgreSQL: one transaction locking the contact's log. */
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
