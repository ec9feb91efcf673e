package dev.steward.benchmarks;

import dev.steward.governance.Counter;
import dev.steward.governance.GovernanceListener;
import dev.steward.governance.GovernanceMetricsStore;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.Increment;
import dev.steward.jdbc.JdbcGovernanceMetricsStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
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
 * Provider events applied to governance metrics, per second, on one thread: a stream of 1,000,000
 * events over 10,000 tenants (each with 100 recipients) spread over seven days, in webhook-sized
 * batches of 500, through the {@link GovernanceListener} (classification, recipient activity for
 * the inactive share, counting once per event id) into the in-memory store, and into the JDBC store
 * on an embedded PostgreSQL (the first {@code jdbcEvents} of the same stream, 100,000 by default: a
 * million through a database takes minutes per invocation). {@code storeOnly} adds pre-built
 * increments to the in-memory store, without the listener. Every invocation starts from an empty
 * store, so no event is a repeat; one operation is one event.
 *
 * <p>Mix (by SendGrid's usual shares): 45% processed, 40% delivered, 5% opens, 3% deferred, 2% hard
 * bounces, 2% blocks, 1% spam reports, 1% unsubscribes, 1% invalid drops.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Threads(1)
public class GovernanceBenchmark {
  static final int EVENTS = 1_000_000;
  static final int TENANTS = 10_000;
  static final int RECIPIENTS = 100;
  static final int BATCH = 500;
  static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

  /** The stream of events, drawn once per trial with a fixed seed. */
  @State(Scope.Benchmark)
  public static class Stream {
    List<List<EmailEvent>> batches;
    List<List<Increment>> increments;

    /** Draws the stream. */
    @Setup(Level.Trial)
    public void draw() {
      SplittableRandom random = new SplittableRandom(15);
      TenantId[] tenants = new TenantId[TENANTS];
      EmailAddress[][] recipients = new EmailAddress[TENANTS][RECIPIENTS];
      for (int t = 0; t < TENANTS; t++) {
        tenants[t] = TenantId.of("tenant-" + t);
        for (int r = 0; r < RECIPIENTS; r++) {
          recipients[t][r] = EmailAddress.of("r" + r + "@t" + t + ".example.com");
        }
      }
      batches = new ArrayList<>(EVENTS / BATCH);
      increments = new ArrayList<>(EVENTS / BATCH);
      List<EmailEvent> batch = new ArrayList<>(BATCH);
      List<Increment> inc = new ArrayList<>(BATCH);
      for (int i = 0; i < EVENTS; i++) {
        int t = random.nextInt(TENANTS);
        Instant at = START.plusSeconds((long) i * 7 * 86_400 / EVENTS);
        int roll = random.nextInt(100);
        EmailEventType type;
        String attribute = null;
        String value = null;
        Counter counter;
        if (roll < 45) {
          type = EmailEventType.PROCESSED;
          counter = Counter.PROCESSED;
        } else if (roll < 85) {
          type = EmailEventType.DELIVERED;
          counter = Counter.DELIVERED;
        } else if (roll < 90) {
          type = EmailEventType.OPEN;
          counter = null;
        } else if (roll < 93) {
          type = EmailEventType.DEFERRED;
          counter = Counter.DEFERRED;
        } else if (roll < 95) {
          type = EmailEventType.BOUNCE;
          attribute = "type";
          value = "bounce";
          counter = Counter.HARD_BOUNCE;
        } else if (roll < 97) {
          type = EmailEventType.BLOCKED;
          counter = Counter.BLOCKED;
        } else if (roll < 98) {
          type = EmailEventType.SPAM_REPORT;
          counter = Counter.SPAM_REPORT;
        } else if (roll < 99) {
          type = EmailEventType.UNSUBSCRIBE;
          counter = Counter.UNSUBSCRIBE;
        } else {
          type = EmailEventType.DROPPED;
          attribute = "reason";
          value = "Invalid";
          counter = Counter.INVALID;
        }
        EmailEvent.Builder b =
            EmailEvent.builder("ev-" + i, type, at)
                .tenant(tenants[t])
                .email(recipients[t][random.nextInt(RECIPIENTS)]);
        if (attribute != null) {
          b.attribute(attribute, value);
        }
        batch.add(b.build());
        if (counter != null) {
          inc.add(new Increment(tenants[t], "ev-" + i, Optional.empty(), counter, false, at));
        }
        if (batch.size() == BATCH) {
          batches.add(List.copyOf(batch));
          increments.add(List.copyOf(inc));
          batch.clear();
          inc.clear();
        }
      }
    }
  }

  /** A fresh in-memory store and listener for every invocation. */
  @State(Scope.Thread)
  public static class Memory {
    InMemoryGovernanceMetricsStore store;
    GovernanceListener listener;

    /** Empties the store. */
    @Setup(Level.Invocation)
    public void fresh() {
      store = InMemoryGovernanceMetricsStore.of();
      listener = GovernanceListener.builder(store).build();
    }
  }

  /** The whole stream through the listener into the in-memory store. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public GovernanceMetricsStore inMemory(Stream stream, Memory m) {
    for (List<EmailEvent> batch : stream.batches) {
      m.listener.onEvents(batch);
    }
    return m.store;
  }

  /** The stream's increments straight into the in-memory store (no listener). */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public GovernanceMetricsStore storeOnly(Stream stream, Memory m) {
    for (List<Increment> batch : stream.increments) {
      m.store.add(batch);
    }
    return m.store;
  }

  /** The JDBC store on one embedded PostgreSQL per trial, emptied before every invocation. */
  @State(Scope.Benchmark)
  public static class Postgres {
    /** How many events of the stream one invocation applies. */
    @Param({"100000"})
    public int jdbcEvents;

    EmbeddedDatabase db;
    JdbcGovernanceMetricsStore store;
    GovernanceListener listener;

    /** Starts the database and applies the schema. */
    @Setup(Level.Trial)
    public void start() {
      db = EmbeddedDatabase.start(2);
      StewardSchema.bootstrap(db.dataSource());
      store = JdbcGovernanceMetricsStore.of(db.dataSource());
      listener = GovernanceListener.builder(store).build();
    }

    /** Empties the governance tables. */
    @Setup(Level.Invocation)
    public void empty() {
      db.execute(
          "TRUNCATE steward_governance_bucket, steward_governance_mark,"
              + " steward_governance_recipient");
    }

    /** Stops the database. */
    @TearDown(Level.Trial)
    public void stop() {
      db.close();
    }
  }

  /**
   * The first {@code jdbcEvents} of the stream through the listener into the JDBC store, timed once
   * per invocation: events per second = {@code jdbcEvents} / the reported time.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public GovernanceMetricsStore jdbcPostgres(Stream stream, Postgres pg) {
    int batches = pg.jdbcEvents / BATCH;
    for (int i = 0; i < batches; i++) {
      pg.listener.onEvents(stream.batches.get(i));
    }
    return pg.store;
  }
}
