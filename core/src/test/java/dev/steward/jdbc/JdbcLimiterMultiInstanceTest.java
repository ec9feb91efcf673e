package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steward.delivery.Decision;
import dev.steward.delivery.Outcome;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.LedgerChange;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import dev.steward.frequency.Window;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.testing.LimiterHammer;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limiter's cross-instance promise on a real PostgreSQL: several limiter instances, each with
 * its own connection pool and store, never allow more than the cap, and an instance that dies in
 * the middle of a reservation leaves nothing half-written.
 */
class JdbcLimiterMultiInstanceTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final Instant WEDNESDAY = Instant.parse("2026-03-04T12:00:00Z");

  private final List<HikariDataSource> pools = new ArrayList<>();

  @BeforeEach
  void clean() {
    DB.clear();
  }

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }

  private DataSource pool(String applicationName, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(DB.url());
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    config.setPoolName(applicationName);
    config.addDataSourceProperty("ApplicationName", applicationName);
    // a non-UTC session zone, as in every PostgreSQL test here, so zone-dependent writes would show
    config.setConnectionInitSql("SET TIME ZONE '" + TestDatabase.SESSION_ZONE + "'");
    HikariDataSource ds = new HikariDataSource(config);
    pools.add(ds);
    return ds;
  }

  @Test
  void fourInstancesOfEightThreadsNeverExceedTwoPerContactPerWeek() throws Exception {
    int contacts = 50;
    int instances = 4;
    int threadsEach = 8;
    SettableClock clock = SettableClock.of(WEDNESDAY);
    CapPolicy policy = CapPolicy.builder().cap(Cap.perContact(2, Window.week())).build();
    List<FrequencyCapLimiter> limiters = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      CapLedgerStore store = JdbcCapLedgerStore.of(pool("limiter-" + i, threadsEach));
      limiters.add(FrequencyCapLimiter.builder(store, clock).policy(policy).build());
    }
    Message[] messages = new Message[contacts];
    for (int c = 0; c < contacts; c++) {
      messages[c] = Messages.promo("contact-" + c).build();
    }

    AtomicIntegerArray thisWeek = hammer(limiters, threadsEach, messages, 2);
    clock.set(WEDNESDAY.plus(Duration.ofDays(7)));
    AtomicIntegerArray nextWeek = hammer(limiters, threadsEach, messages, 2);

    for (int c = 0; c < contacts; c++) {
      assertThat(thisWeek.get(c)).as("contact %d, first week", c).isEqualTo(2);
      assertThat(nextWeek.get(c)).as("contact %d, second week", c).isEqualTo(2);
    }
    // what the database holds agrees: four sends per contact, two in each ISO week
    for (int c = 0; c < contacts; c++) {
      SendLog log =
          JdbcCapLedgerStore.of(DB.dataSource())
              .read(
                  List.of(
                      SubjectKey.contact(TenantId.of("isv-tenant"), ContactId.of("contact-" + c))))
              .get(0);
      assertThat(log.entries()).hasSize(4);
    }
  }

  private static AtomicIntegerArray hammer(
      List<FrequencyCapLimiter> limiters, int threadsEach, Message[] messages, int rounds)
      throws Exception {
    LimiterHammer.Result result = LimiterHammer.hammer(limiters, threadsEach, messages, rounds);
    assertThat(result.unexpected()).as("answers other than ALLOW or DEFER").isEmpty();
    return result.allowed();
  }

  @Test
  void anInstanceKilledMidReservationLeavesNothingAndTheOthersGoOn() throws Exception {
    SettableClock clock = SettableClock.of(WEDNESDAY);
    CapPolicy policy = CapPolicy.builder().cap(Cap.perContact(1, Window.week())).build();
    CountDownLatch insideTransaction = new CountDownLatch(1);
    CountDownLatch killed = new CountDownLatch(1);
    // Instance A holds the contact's row lock and is stopped after computing its reservation,
    // then its database session is terminated, as when a machine dies mid-transaction.
    HikariDataSource doomedPool = (HikariDataSource) pool("doomed-instance", 1);
    CapLedgerStore storeA =
        new PausingStore(JdbcCapLedgerStore.of(doomedPool), insideTransaction, killed);
    FrequencyCapLimiter a = FrequencyCapLimiter.builder(storeA, clock).policy(policy).build();
    FrequencyCapLimiter b =
        FrequencyCapLimiter.builder(JdbcCapLedgerStore.of(pool("survivor", 2)), clock)
            .policy(policy)
            .build();
    Message message = Messages.promo("ada").build();

    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      Future<Decision> doomed = executor.submit(() -> a.decide(message));
      assertThat(insideTransaction.await(30, TimeUnit.SECONDS)).isTrue();
      // B asks meanwhile: it must wait for A's lock rather than decide on a half state
      Future<Decision> survivor = executor.submit(() -> b.decide(message));
      Thread.sleep(200);
      assertThat(survivor).isNotDone();

      assertThat(terminateSessionsOf("doomed-instance")).isEqualTo(1);
      // the machine is gone with its session: without this, the store would retry the lost
      // transaction on a new connection, as a living instance should
      doomedPool.close();
      killed.countDown();

      assertThatThrownBy(() -> doomed.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RuntimeException.class);
      Decision recovered = survivor.get(30, TimeUnit.SECONDS);
      assertThat(recovered.isAllowed()).as("the slot A never committed is free").isTrue();
      assertThat(b.decide(message).outcome()).isEqualTo(Outcome.DEFER);
    } finally {
      executor.shutdownNow();
    }
    SendLog log =
        JdbcCapLedgerStore.of(DB.dataSource())
            .read(List.of(SubjectKey.contact(TenantId.of("isv-tenant"), ContactId.of("ada"))))
            .get(0);
    assertThat(log.entries()).hasSize(1);
  }

  private static int terminateSessionsOf(String applicationName) throws SQLException {
    try (Connection c = DB.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = ? AND state LIKE 'idle in transaction%'")) {
      s.setString(1, applicationName);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** A store whose change stops, inside the transaction, until the test has killed the session. */
  private static final class PausingStore implements CapLedgerStore {
    private final CapLedgerStore delegate;
    private final CountDownLatch inside;
    private final CountDownLatch resume;

    PausingStore(CapLedgerStore delegate, CountDownLatch inside, CountDownLatch resume) {
      this.delegate = delegate;
      this.inside = inside;
      this.resume = resume;
    }

    @Override
    public <R> R update(
        List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change) {
      return delegate.update(
          subjects,
          logs -> {
            LedgerChange<R> result = change.apply(logs);
            inside.countDown();
            try {
              resume.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return result;
          });
    }

    @Override
    public List<SendLog> read(List<SubjectKey> subjects) {
      return delegate.read(subjects);
    }

    @Override
    public boolean erase(SubjectKey subject) {
      return delegate.erase(subject);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return delegate.eraseTenant(tenant);
    }
  }
}
