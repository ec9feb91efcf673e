package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steward.StewardException;
import dev.steward.calendar.CalendarConflict;
import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.calendar.ConflictRule;
import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conflict checks hold across application instances: several instances, each with its own pool,
 * over one PostgreSQL database, book conflicting entries at the same moment, and exactly as many
 * pass as the rules allow; an instance that dies mid-booking leaves nothing half-written and no
 * lock held.
 */
class JdbcCalendarMultiInstanceTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId TENANT = TenantId.of("isv-tenant");
  private static final Instant DAY = Instant.parse("2026-03-03T10:00:00Z");
  private static final int INSTANCES = 4;
  private static final int THREADS_PER_INSTANCE = 2;

  private final List<HikariDataSource> pools = new ArrayList<>();

  @BeforeEach
  void clean() {
    DB.clear();
  }

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }

  private DataSource pool(String name) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(DB.url());
    config.setUsername("postgres");
    config.setMaximumPoolSize(THREADS_PER_INSTANCE);
    config.setPoolName(name);
    config.setConnectionInitSql("SET TIME ZONE '" + TestDatabase.SESSION_ZONE + "'");
    HikariDataSource ds = new HikariDataSource(config);
    pools.add(ds);
    return ds;
  }

  /** A rule that finds nothing but takes its time: the window in which a race would show. */
  private static ConflictRule slow(Runnable during) {
    return new ConflictRule() {
      @Override
      public String id() {
        return "slow";
      }

      @Override
      public List<CalendarConflict> check(CalendarEntry candidate, View view) {
        during.run();
        return List.of();
      }
    };
  }

  private static void sleep() {
    try {
      Thread.sleep(15);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static CommunicationCalendar calendar(DataSource ds, ConflictRule extra) {
    return CommunicationCalendar.builder(JdbcCalendarStore.of(ds), java.time.Clock.systemUTC())
        .rule(ConflictRule.differentTeamsSameDay(ConflictRule.Scope.CONTACT))
        .rule(ConflictRule.campaignsAtOnce(2, Duration.ofDays(7)))
        .rule(extra)
        .build();
  }

  private static CalendarEntry entry(
      String id, String team, AccountId account, ContactId contact, String campaign) {
    return CalendarEntry.of(
        TENANT,
        id,
        CalendarEntry.Type.COMMUNICATION,
        CalendarEntry.Status.SCHEDULED,
        account,
        contact,
        team,
        MessageKind.PROMOTIONAL,
        "offers",
        Channel.EMAIL,
        campaign,
        DAY);
  }

  @Test
  void instancesBookingConflictingEntriesAtOnceNeverBothSucceed() {
    List<CommunicationCalendar> instances = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      instances.add(calendar(pool("calendar-" + i), slow(JdbcCalendarMultiInstanceTest::sleep)));
    }
    int threads = INSTANCES * THREADS_PER_INSTANCE;
    for (int round = 0; round < 3; round++) {
      AccountId account = AccountId.of("acme-" + round);
      ContactId ada = ContactId.of("ada-" + round);
      // every thread a different team to one contact on one day: one may pass
      List<Boolean> sameDay =
          Concurrently.run(
              threads,
              t ->
                  instances
                      .get(t % INSTANCES)
                      .scheduleIfClear(entry("day-" + t, "team-" + t, account, ada, null))
                      .scheduled());
      assertThat(sameDay.stream().filter(b -> b)).as("round " + round).hasSize(1);
      assertThat(instances.get(0).forContact(TENANT, ada, Instant.MIN, Instant.MAX)).hasSize(1);

      // every thread a different campaign at one account: two may run at once
      AccountId globex = AccountId.of("globex-" + round);
      List<Boolean> campaigns =
          Concurrently.run(
              threads,
              t ->
                  instances
                      .get(t % INSTANCES)
                      .scheduleIfClear(
                          entry(
                              "campaign-" + t,
                              "marketing",
                              globex,
                              ContactId.of("c-" + t),
                              "campaign-" + t))
                      .scheduled());
      assertThat(campaigns.stream().filter(b -> b)).as("round " + round).hasSize(2);
      assertThat(instances.get(0).forAccount(TENANT, globex, Instant.MIN, Instant.MAX)).hasSize(2);
    }
  }

  @Test
  void anInstanceKilledWhileCheckingLeavesNothingAndHoldsNoLock() {
    KillableDataSource dying = new KillableDataSource(DB.dataSource());
    CommunicationCalendar doomed = calendar(dying, slow(dying::kill));
    CommunicationCalendar survivor = calendar(pool("survivor"), slow(() -> {}));
    AccountId acme = AccountId.of("acme");
    ContactId ada = ContactId.of("ada");

    Throwable t = catchThrowable(() -> doomed.schedule(entry("m-1", "sales", acme, ada, null)));

    assertThat(t).isInstanceOf(StewardException.class);
    assertThat(survivor.find(TENANT, "m-1")).isEmpty();
    // its locks died with its connection: a conflicting booking is checked against nothing
    assertThat(survivor.scheduleIfClear(entry("m-2", "csm", acme, ada, null)).scheduled()).isTrue();
    assertThat(survivor.forContact(TENANT, ada, Instant.MIN, Instant.MAX))
        .extracting(CalendarEntry::id)
        .containsExactly("m-2");
  }

  @Test
  void anInstanceKilledAfterWritingButBeforeCommittingLeavesNothing() {
    DataSource dying = new DyingAtCommit(DB.dataSource());
    CommunicationCalendar doomed = calendar(dying, slow(() -> {}));
    CommunicationCalendar survivor = calendar(pool("survivor"), slow(() -> {}));
    AccountId acme = AccountId.of("acme");
    ContactId ada = ContactId.of("ada");

    Throwable t = catchThrowable(() -> doomed.schedule(entry("m-1", "sales", acme, ada, null)));

    assertThat(t).isInstanceOf(StoreOutcomeUnknownException.class);
    assertThat(survivor.find(TENANT, "m-1")).isEmpty();
    assertThat(survivor.scheduleIfClear(entry("m-2", "csm", acme, ada, null)).scheduled()).isTrue();
  }

  @Test
  void erasingATenantRemovesItsLockRowsToo() throws SQLException {
    CommunicationCalendar calendar = calendar(pool("eraser"), slow(() -> {}));
    calendar.schedule(entry("m-1", "sales", AccountId.of("acme"), ContactId.of("ada"), null));
    assertThat(lockRows()).isEqualTo(2);

    assertThat(calendar.erase(TENANT, ContactId.of("ada"))).isEqualTo(1);
    assertThat(lockRows()).isEqualTo(1);
    assertThat(calendar.eraseTenant(TENANT)).isZero();
    assertThat(lockRows()).isZero();
  }

  private static int lockRows() throws SQLException {
    try (Connection c = DB.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM steward_calendar_lock")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * An instance whose process dies at the moment it would commit: the connection closes instead
   * (the server rolls the transaction back) and the commit fails as a lost connection does.
   */
  private static final class DyingAtCommit extends ForwardingDataSource {
    DyingAtCommit(DataSource delegate) {
      super(delegate);
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = delegate.getConnection();
      return (Connection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("commit")) {
                  c.close();
                  throw new SQLException("the instance died", "08006");
                }
                try {
                  return method.invoke(c, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }
}
