package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Decision;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.MailTransport;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.delivery.SendResult;
import dev.steward.model.Message;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three application instances over one PostgreSQL send due mail; one is killed mid-batch (its
 * connections closed, its claims left behind, its threads stuck in the transport). The other two
 * take its claims over after the lease: no message is lost, none is sent twice, and the few that
 * were mid-send when it died wait, as UNKNOWN, for the provider's events instead of being resent.
 */
class JdbcDispatcherCrashTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final int MESSAGES = 300;
  private static final int VICTIM_SENDS_BEFORE_DYING = 20;

  /** One application instance: its own connections, stores, dispatcher and runner. */
  private static final class Instance {
    final KillableDataSource dataSource = new KillableDataSource(DB.dataSource());
    final Dispatcher dispatcher;
    final WorkRunner runner;

    Instance(String name, MailTransport transport, Gate gate, java.time.Clock clock) {
      dispatcher =
          Dispatcher.builder(transport, clock)
              .gate(gate)
              .workStore(JdbcWorkStore.of(dataSource))
              .ledger(JdbcDeliveryLedger.of(dataSource))
              .build();
      runner =
          dispatcher
              .registerWith(
                  WorkRunner.builder(dispatcher.workStore(), clock)
                      .owner(name)
                      .workers(4)
                      .batchSize(25)
                      .lease(Duration.ofSeconds(2))
                      .heartbeat(Duration.ofMillis(400))
                      .pollInterval(Duration.ofMillis(20))
                      .shutdownGrace(Duration.ofSeconds(2)))
              .build();
    }
  }

  /** A transport that counts what actually left, per message id. */
  private static MailTransport counting(Map<String, AtomicInteger> left, Set<String> mine) {
    return m -> {
      left.computeIfAbsent(m.id().value(), k -> new AtomicInteger()).incrementAndGet();
      mine.add(m.id().value());
      return SendResult.accepted("sg-" + m.id());
    };
  }

  @Test
  void anInstanceKilledMidBatchLosesNothingAndSendsNothingTwice() throws Exception {
    DB.clear();
    // business time stands still while the messages are dispatched, then jumps to their due time;
    // leases run on the database's clock, in real time
    SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:00:00Z"));
    Instant due = clock.instant().plusSeconds(60);
    Gate deferUntilDue =
        new Gate() {
          @Override
          public String name() {
            return "launch";
          }

          @Override
          public Decision evaluate(Message message, Instant now) {
            return now.isBefore(due)
                ? Decision.defer(due, List.of(Reason.of("launch", "at", Outcome.DEFER, "later")))
                : Decision.allow(Reason.of("launch", "at", Outcome.ALLOW, "now"));
          }
        };
    Map<String, AtomicInteger> left = new ConcurrentHashMap<>();
    AtomicInteger victimCalls = new AtomicInteger();
    CountDownLatch victimStuck = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    MailTransport victimTransport =
        m -> {
          if (victimCalls.incrementAndGet() > VICTIM_SENDS_BEFORE_DYING) {
            // the process dies here, before the request leaves: its thread never comes back
            victimStuck.countDown();
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("dead instance");
          }
          return counting(left, ConcurrentHashMap.newKeySet()).send(m);
        };
    Instance victim = new Instance("victim", victimTransport, deferUntilDue, clock);
    Set<String> bySurvivors = ConcurrentHashMap.newKeySet();
    Instance second = new Instance("second", counting(left, bySurvivors), deferUntilDue, clock);
    Instance third = new Instance("third", counting(left, bySurvivors), deferUntilDue, clock);
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      Message m = Messages.promo("c" + i).build();
      messages.add(m);
      second.dispatcher.dispatch(m);
    }
    assertThat(second.dispatcher.workStore().count(WorkState.READY)).isEqualTo(MESSAGES);

    clock.set(due);
    try {
      victim.runner.start();
      assertThat(victimStuck.await(20, TimeUnit.SECONDS)).isTrue();
      victim.dataSource.kill();
      second.runner.start();
      third.runner.start();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!settled(messages.size()) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } finally {
      second.runner.close();
      third.runner.close();
      // the victim is dead: it is not closed (a crashed process hands nothing back); its stuck
      // threads are let go and fail against its closed connections
      never.countDown();
    }

    Map<String, Integer> byStatus = ledgerStatuses();
    int sent = byStatus.getOrDefault("SENT", 0);
    int unknown = byStatus.getOrDefault("UNKNOWN", 0);
    assertThat(sent + unknown).as("every message has its outcome").isEqualTo(MESSAGES);
    assertThat(unknown).as("only the victim's stuck sends are unknown").isBetween(1, 4);
    assertThat(left.values())
        .as("none sent twice")
        .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    // a send the victim made just before it died may have no recorded outcome: it is unknown, not
    // lost, and nobody sends it again
    assertThat(left.size()).isBetween(sent, sent + unknown);
    // the unknown ones were never sent by anybody, and still wait as work for their events
    List<WorkItem> waiting =
        JdbcWorkStore.of(DB.dataSource()).dead(1).isEmpty() ? pendingItems() : List.of();
    assertThat(waiting).hasSize(unknown);
    assertThat(waiting).allSatisfy(w -> assertThat(w.payload()).contains("unsettledSince"));
    assertThat(waiting).allSatisfy(w -> assertThat(bySurvivors).doesNotContain(w.key().id()));
  }

  private static boolean settled(int total) throws Exception {
    Map<String, Integer> s = ledgerStatuses();
    int done = s.getOrDefault("SENT", 0) + s.getOrDefault("UNKNOWN", 0);
    return done == total && pendingItems().size() == s.getOrDefault("UNKNOWN", 0);
  }

  private static List<WorkItem> pendingItems() {
    JdbcWorkStore store = JdbcWorkStore.of(DB.dataSource());
    List<WorkItem> items = new ArrayList<>();
    try (Connection c = DB.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT tenant_id, item_id FROM steward_work")) {
      while (rs.next()) {
        store
            .find(
                dev.steward.schedule.WorkKey.of(
                    dev.steward.model.TenantId.of(rs.getString(1)),
                    Dispatcher.DEFERRED_KIND,
                    rs.getString(2)))
            .ifPresent(items::add);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return items;
  }

  private static Map<String, Integer> ledgerStatuses() throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection c = DB.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT status, COUNT(*) FROM steward_delivery GROUP BY status")) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getInt(2));
      }
    }
    assertThat(counts.keySet())
        .allSatisfy(
            st ->
                assertThat(st)
                    .isIn(
                        DeliveryStatus.SENT.name(),
                        DeliveryStatus.UNKNOWN.name(),
                        DeliveryStatus.SENDING.name()));
    return counts;
  }
}
