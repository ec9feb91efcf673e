package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.EmailEventListener;
import dev.steward.delivery.EventIngestor;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Three instances over one PostgreSQL take in webhook batches and apply them; one is killed in the
 * middle of applying a batch (its connections closed, its claims left behind, a listener thread
 * stuck). The others take its batches over after the lease: every event is applied exactly once in
 * effect, none is lost, and the provider's repeat of a batch is not applied again.
 */
class JdbcEventCrashTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final int EVENTS = 2_000;

  /** A listener that records each event once (idempotent) and counts raw invocations. */
  private static final class Recording implements EmailEventListener {
    final Set<String> applied = ConcurrentHashMap.newKeySet();
    final AtomicInteger invocations = new AtomicInteger();

    @Override
    public void onEvents(List<EmailEvent> events) {
      for (EmailEvent e : events) {
        invocations.incrementAndGet();
        applied.add(e.eventId());
      }
    }
  }

  private static final class Instance {
    final KillableDataSource dataSource = new KillableDataSource(DB.dataSource());
    final EventIngestor ingestor;
    final WorkRunner runner;

    Instance(String name, EmailEventListener listener, SettableClock clock) {
      JdbcEventInbox inbox = JdbcEventInbox.of(dataSource);
      ingestor = EventIngestor.builder(inbox, clock).listener("record", listener).build();
      runner =
          ingestor
              .register(
                  WorkRunner.builder(inbox.work(), clock)
                      .owner(name)
                      .workers(2)
                      .batchSize(5)
                      .lease(Duration.ofSeconds(2))
                      .heartbeat(Duration.ofMillis(400))
                      .pollInterval(Duration.ofMillis(20))
                      .shutdownGrace(Duration.ofSeconds(2)))
              .build();
    }
  }

  private static EmailEvent event(int n) {
    return EmailEvent.of(
        "sg-" + n,
        n % 7 == 0 ? EmailEventType.UNSUBSCRIBE : EmailEventType.DELIVERED,
        Instant.parse("2026-03-02T09:00:00Z").plusSeconds(n),
        null,
        null,
        TenantId.of("t" + (n % 3)),
        null,
        ContactId.of("c" + (n % 50)),
        "offers",
        Map.of());
  }

  @Test
  void anInstanceKilledWhileApplyingEventsLosesNoneAndAppliesNoneTwiceInEffect() throws Exception {
    DB.clear();
    SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T09:30:00Z"));
    Recording shared = new Recording();
    CountDownLatch victimStuck = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger victimBatches = new AtomicInteger();
    EmailEventListener victimListener =
        events -> {
          if (victimBatches.incrementAndGet() > 3) {
            // the process dies in the middle of a batch: part of it applied, the rest never
            shared.onEvents(events.subList(0, events.size() / 2));
            victimStuck.countDown();
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("dead instance");
          }
          shared.onEvents(events);
        };
    Instance victim = new Instance("victim", victimListener, clock);
    Instance second = new Instance("second", shared, clock);
    Instance third = new Instance("third", shared, clock);

    List<List<EmailEvent>> batches = new ArrayList<>();
    for (int start = 0; start < EVENTS; start += 100) {
      List<EmailEvent> batch = new ArrayList<>();
      for (int n = start; n < start + 100; n++) {
        batch.add(event(n));
      }
      batches.add(batch);
      victim.ingestor.accept(batch);
    }
    try {
      victim.runner.start();
      assertThat(victimStuck.await(20, TimeUnit.SECONDS)).isTrue();
      victim.dataSource.kill();
      second.runner.start();
      third.runner.start();
      // the provider repeats every batch (it got no answer from the dead instance, say)
      for (List<EmailEvent> batch : batches) {
        assertThat(second.ingestor.accept(batch).accepted()).isZero();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      JdbcWorkStore work = JdbcWorkStore.of(DB.dataSource());
      while ((shared.applied.size() < EVENTS || work.count(WorkState.READY) > 0)
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(work.count(WorkState.READY)).as("no batch left waiting").isZero();
      assertThat(work.count(WorkState.DEAD)).as("no batch given up").isZero();
    } finally {
      second.runner.close();
      third.runner.close();
      never.countDown();
    }

    assertThat(shared.applied).as("every event applied").hasSize(EVENTS);
    // the batch the victim died in was applied again in full: at least once, once in effect
    assertThat(shared.invocations.get()).isGreaterThan(EVENTS);
  }
}
