package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.MailTransport;
import dev.steward.delivery.SendResult;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.HistoryEntry;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.JourneyTask;
import dev.steward.journey.Step;
import dev.steward.journey.StepOutcome;
import dev.steward.journey.TaskClosedException;
import dev.steward.journey.TaskCompletion;
import dev.steward.journey.TaskListener;
import dev.steward.journey.TaskPolicy;
import dev.steward.journey.TaskState;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.Concurrently;
import dev.steward.testing.SettableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Three application instances over one PostgreSQL keep the human tasks of 150 enrolments; one dies
 * mid-run while telling its listener of a reminder (its threads stuck, its connections closed, its
 * claims left). The others take its work over after the lease: every task was reminded once and
 * escalated once, and each notice heard at least once across the instances, de-duplicated by its id
 * (the one the victim was telling when it died is told again by a survivor, with the same id), so
 * that each (type, task) is heard once after de-duplication; then both survivors complete every
 * task at the same moment, and each task is done once, its email sent once and its enrolment moved
 * once.
 */
class JdbcTaskMultiInstanceTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId TENANT = TenantId.of("t1");
  private static final int WORKERS = 4;
  private static final int CONTACTS = 150;
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

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
                  Optional.of("late")))
          .step(new Step.UpdateAttribute("done", "call", Optional.of("done"), Optional.empty()))
          .step(Step.Send.of("late", "tpl-late", MessageKind.RELATIONSHIP, "csm", null))
          .build();

  /** One application instance: its own connections, stores, dispatcher, scheduler and runner. */
  private static final class Instance {
    final JourneyScheduler journeys;
    final WorkRunner runner;

    Instance(
        String name,
        DataSource dataSource,
        MailTransport transport,
        TaskListener listener,
        Clock clock) {
      WorkStore work = JdbcWorkStore.of(dataSource);
      Dispatcher dispatcher =
          Dispatcher.builder(transport, clock)
              .workStore(work)
              .ledger(JdbcDeliveryLedger.of(dataSource))
              .build();
      journeys =
          JourneyScheduler.builder(clock, JdbcJourneyStore.of(dataSource), work)
              .dispatcher(dispatcher)
              .journey(JOURNEY)
              .tasks(JdbcTaskStore.of(dataSource), TaskPolicy.DEFAULTS, listener)
              .build();
      runner =
          journeys
              .registerWith(
                  dispatcher.registerWith(
                      WorkRunner.builder(work, clock)
                          .owner(name)
                          .workers(WORKERS)
                          .batchSize(10)
                          .lease(Duration.ofSeconds(2))
                          .heartbeat(Duration.ofMillis(400))
                          .pollInterval(Duration.ofMillis(20))
                          .shutdownGrace(Duration.ofSeconds(2))))
              .build();
    }
  }

  private final List<HikariDataSource> pools = new ArrayList<>();

  private DataSource pool(String name) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(DB.url());
    config.setUsername("postgres");
    config.setMaximumPoolSize(WORKERS + 4);
    config.setPoolName(name);
    config.setConnectionInitSql("SET TIME ZONE '" + TestDatabase.SESSION_ZONE + "'");
    HikariDataSource ds = new HikariDataSource(config);
    pools.add(ds);
    return ds;
  }

  @Test
  void remindersAndEscalationsHappenOnceAcrossInstancesWhenOneDiesMidRun() throws Exception {
    DB.clear();
    SettableClock clock = SettableClock.of(START);
    // by notice id: how often told, and what it was about
    Map<String, AtomicInteger> heard = new ConcurrentHashMap<>();
    Map<String, String> about = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> left = new ConcurrentHashMap<>();
    MailTransport transport =
        m -> {
          left.computeIfAbsent(m.id().value(), k -> new AtomicInteger()).incrementAndGet();
          return SendResult.accepted("sg-" + m.id());
        };
    TaskListener survivors =
        n -> {
          about.merge(n.id(), n.type() + " " + n.task().id(), (a, b) -> a.equals(b) ? a : "MIXED");
          heard.computeIfAbsent(n.id(), k -> new AtomicInteger()).incrementAndGet();
        };
    AtomicInteger victimHeard = new AtomicInteger();
    CountDownLatch victimStuck = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    TaskListener victimListener =
        n -> {
          survivors.onTask(n); // it was told: the notice counts as heard
          if (victimHeard.incrementAndGet() >= 30) {
            // the process dies here, inside the listener: its thread never comes back
            victimStuck.countDown();
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    KillableDataSource victimConnections = new KillableDataSource(DB.dataSource());
    Instance victim = new Instance("victim", victimConnections, transport, victimListener, clock);
    Instance second = new Instance("second", pool("second"), transport, survivors, clock);
    Instance third = new Instance("third", pool("third"), transport, survivors, clock);
    for (int i = 0; i < CONTACTS; i++) {
      ContactId c = ContactId.of("c" + i);
      second.journeys.putContact(
          new ContactProfile(
              TENANT,
              c,
              AccountId.of("a" + i),
              Optional.of(EmailAddress.of("c" + i + "@example.com")),
              Optional.of(ZoneId.of("Europe/Berlin")),
              Map.of("csm", "csm" + (i % 3), "csm-manager", "lead")));
      assertThat(second.journeys.enrol(TENANT, c, "renewal-csm").enrolled()).isTrue();
    }
    try {
      // the victim alone creates every task, then reminds until it dies
      victim.runner.start();
      awaitCount("state = 'OPEN'", CONTACTS);
      clock.set(START.plus(Duration.ofDays(2)).plusSeconds(1));
      victim.runner.wakeUp();
      assertThat(victimStuck.await(30, TimeUnit.SECONDS)).isTrue();
      victimConnections.kill();
      second.runner.start();
      third.runner.start();
      awaitCount("state = 'REMINDED'", CONTACTS);

      clock.set(START.plus(Duration.ofDays(3)).plusSeconds(1));
      second.runner.wakeUp();
      third.runner.wakeUp();
      awaitCount("state = 'ESCALATED' AND owner = 'lead'", CONTACTS);
      // let the runners finish what they claimed, so that a repeated notice would show
      TestDatabase.passRealTime(Duration.ofSeconds(3));

      assertThat(victimHeard.get()).isGreaterThanOrEqualTo(30);
      assertThat(heard).as("each notice id heard at least once").hasSize(2 * CONTACTS);
      assertThat(heard.values()).allSatisfy(n -> assertThat(n.get()).isPositive());
      assertThat(heard.values())
          .as("the notice the victim died telling is told again by a survivor")
          .anySatisfy(n -> assertThat(n.get()).isGreaterThanOrEqualTo(2));
      assertThat(about.values())
          .as("each (type, task) heard once after de-duplication by id, under one id")
          .doesNotContain("MIXED")
          .doesNotHaveDuplicates()
          .hasSize(2 * CONTACTS)
          .allSatisfy(a -> assertThat(a).matches("(REMINDER|ESCALATED) task-.*"));
      assertThat(about.values()).filteredOn(a -> a.startsWith("REMINDER")).hasSize(CONTACTS);
      assertThat(left).as("nothing sent before anyone acted").isEmpty();

      // both survivors complete every task at once, each its own way: one wins each task
      List<String> ids = new ArrayList<>();
      JdbcTaskStore tasks = JdbcTaskStore.of(DB.dataSource());
      Optional<String> after = Optional.empty();
      for (List<JourneyTask> page = tasks.open(TENANT, "lead", after, 40);
          !page.isEmpty();
          page = tasks.open(TENANT, "lead", after, 40)) {
        page.forEach(t -> ids.add(t.id()));
        after = Optional.of(page.get(page.size() - 1).id());
      }
      assertThat(ids).hasSize(CONTACTS);
      AtomicInteger closed = new AtomicInteger();
      Concurrently.run(
          2,
          i -> {
            Instance by = i == 0 ? second : third;
            for (String id : ids) {
              try {
                by.journeys
                    .tasks()
                    .complete(
                        TENANT,
                        id,
                        i == 0
                            ? TaskCompletion.sentAsSuggested()
                            : TaskCompletion.dismissed("handled by phone"));
              } catch (TaskClosedException lost) {
                closed.incrementAndGet();
              }
            }
            return null;
          });
      assertThat(closed.get()).as("the loser of each task is told so").isEqualTo(CONTACTS);
      awaitCount("state = 'DONE'", CONTACTS);
      for (String id : ids) {
        JourneyTask t = tasks.find(TENANT, id).orElseThrow();
        String enrolment = t.enrolment();
        List<HistoryEntry> h = second.journeys.history(TENANT, enrolment);
        assertThat(h).filteredOn(e -> e.outcome() == StepOutcome.TASK_DONE).hasSize(1);
        assertThat(h.stream().filter(e -> e.outcome() == StepOutcome.TASK_DONE).findFirst())
            .get()
            .extracting(HistoryEntry::detail)
            .asString()
            .contains(t.outcome().orElseThrow().name());
      }
      assertThat(left.values())
          .as("no task email sent twice")
          .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(left.keySet()).allSatisfy(k -> assertThat(k).startsWith("j-"));
      assertThat(heard).as("no new notice after completion").hasSize(2 * CONTACTS);
      assertThat(tasks.report(TENANT, "lead", START, START.plus(Duration.ofDays(9)), START).done())
          .isEqualTo(CONTACTS);
      assertThat(count("state <> 'DONE'")).isZero();
      assertThat(TaskState.DONE.open()).isFalse();
    } finally {
      second.runner.close();
      third.runner.close();
      never.countDown();
      pools.forEach(HikariDataSource::close);
    }
  }

  private static void awaitCount(String where, int expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    int n = -1;
    while (System.nanoTime() < deadline) {
      n = count(where);
      if (n == expected) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("expected " + expected + " tasks where " + where + ", found " + n);
  }

  private static int count(String where) throws Exception {
    try (Connection c = DB.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM steward_journey_task WHERE " + where)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
