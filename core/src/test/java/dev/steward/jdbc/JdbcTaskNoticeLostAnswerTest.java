package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.JourneyTask;
import dev.steward.journey.Step;
import dev.steward.journey.TaskDesk;
import dev.steward.journey.TaskNotice;
import dev.steward.journey.TaskPolicy;
import dev.steward.journey.TaskState;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A task's reminder and escalation stored, but answered by a dropped connection (the UPDATE ran and
 * committed, then the call failed as when the connection dies before the answer arrives), are still
 * told to the listener, once: the old code took the store's repeat (which finds the change made and
 * changes no row) for a lost race and never told the notice. On H2 and PostgreSQL.
 */
class JdbcTaskNoticeLostAnswerTest {
  private static final TenantId TENANT = JourneyKit.TENANT;
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final String CONNECTION_LOST = "08006";

  private static final JourneyDefinition JOURNEY =
      JourneyDefinition.builder("renewal-csm", 1)
          .step(
              new Step.HumanTask(
                  "csm-call",
                  "csm-check-in",
                  Optional.of("tpl-check-in"),
                  null,
                  Duration.ofDays(3),
                  Optional.of("done"),
                  Optional.of("done"),
                  Optional.of("done"),
                  Optional.of("done")))
          .step(new Step.UpdateAttribute("done", "call", Optional.of("done"), Optional.empty()))
          .build();

  /**
   * Runs the next statement starting with a prefix, then throws a lost connection: the change is
   * committed (auto-commit), its answer lost.
   */
  static final class AnswerLosingDataSource extends ForwardingDataSource {
    private volatile String prefix;
    final AtomicInteger lost = new AtomicInteger();

    AnswerLosingDataSource(DataSource delegate) {
      super(delegate);
    }

    void loseNextAnswerTo(String sqlPrefix) {
      prefix = sqlPrefix;
    }

    private PreparedStatement wrap(PreparedStatement ps, boolean lose) {
      InvocationHandler h =
          (proxy, method, args) -> {
            Object r;
            try {
              r = method.invoke(ps, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
            if (lose && method.getName().startsWith("execute")) {
              lost.incrementAndGet();
              throw new SQLException("connection lost before the answer", CONNECTION_LOST);
            }
            return r;
          };
      return (PreparedStatement)
          Proxy.newProxyInstance(
              getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, h);
    }

    private Connection wrap(Connection c) {
      InvocationHandler h =
          (proxy, method, args) -> {
            Object r;
            try {
              r = method.invoke(c, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
            if (method.getName().equals("prepareStatement") && args[0] instanceof String sql) {
              String p = prefix;
              boolean lose = p != null && sql.startsWith(p);
              if (lose) {
                prefix = null;
              }
              return wrap((PreparedStatement) r, lose);
            }
            return r;
          };
      return (Connection)
          Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    @Override
    public Connection getConnection() throws SQLException {
      return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return wrap(delegate.getConnection(username, password));
    }
  }

  private static void assertToldDespiteLostAnswers(TestDatabase db) {
    db.clear();
    AnswerLosingDataSource lossy = new AnswerLosingDataSource(db.dataSource());
    List<TaskNotice> heard = new CopyOnWriteArrayList<>();
    SettableClock clock = SettableClock.of(START);
    JourneyKit kit =
        new JourneyKit(
            clock,
            JdbcJourneyStore.of(db.dataSource()),
            JdbcWorkStore.of(db.dataSource()),
            b ->
                b.journey(JOURNEY).tasks(JdbcTaskStore.of(lossy), TaskPolicy.DEFAULTS, heard::add));
    ContactId ann =
        kit.contact(
            "ann", ZoneId.of("Europe/Berlin"), Map.of("csm", "carla", "csm-manager", "maria"));
    kit.enrol(ann, "renewal-csm");
    kit.driver.runDue();
    List<JourneyTask> all =
        kit.scheduler.tasks().byAccount(TENANT, AccountId.of("acct-" + ann), Optional.empty(), 10);
    assertThat(all).hasSize(1);
    JourneyTask task = all.get(0);

    lossy.loseNextAnswerTo("UPDATE steward_journey_task");
    kit.runUntil(START.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(5)), Duration.ofMinutes(1));
    assertThat(lossy.lost.get()).as("the reminder's answer was lost").isEqualTo(1);
    assertThat(kit.scheduler.tasks().find(TENANT, task.id()).orElseThrow().state())
        .isEqualTo(TaskState.REMINDED);
    assertThat(heard).extracting(TaskNotice::type).containsExactly(TaskNotice.Type.REMINDER);
    assertThat(heard.get(0).recipient()).isEqualTo("carla");

    lossy.loseNextAnswerTo("UPDATE steward_journey_task");
    kit.runUntil(START.plus(Duration.ofDays(3)).plus(Duration.ofMinutes(5)), Duration.ofMinutes(1));
    assertThat(lossy.lost.get()).as("the escalation's answer was lost").isEqualTo(2);
    assertThat(kit.scheduler.tasks().find(TENANT, task.id()).orElseThrow().state())
        .isEqualTo(TaskState.ESCALATED);
    assertThat(heard)
        .extracting(TaskNotice::type)
        .containsExactly(TaskNotice.Type.REMINDER, TaskNotice.Type.ESCALATED);
    assertThat(heard.get(1).recipient()).isEqualTo("maria");
    assertThat(heard).extracting(TaskNotice::id).doesNotHaveDuplicates();
    assertThat(kit.work.findBySubject(TENANT, ann.value(), TaskDesk.NOTICE_KIND))
        .as("nothing left to tell")
        .isEmpty();
  }

  @Test
  void onH2() {
    assertToldDespiteLostAnswers(TestDatabase.h2(JdbcTaskNoticeLostAnswerTest.class));
  }

  @Test
  void onPostgres() {
    assertToldDespiteLostAnswers(TestDatabase.postgres());
  }
}
