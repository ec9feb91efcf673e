package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.JourneyKit;
import dev.steward.journey.ReanchorTest;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two scheduler instances over one PostgreSQL: renewals moved on both while both run due work.
 * Every report goes out exactly once, at the instant of the contact's final renewal date.
 */
class JdbcReanchorTwoInstancesPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final int CONTACTS = 60;

  private static JourneyKit instance(SettableClock clock) {
    return new JourneyKit(
        clock,
        JdbcJourneyStore.of(DB.dataSource()),
        JdbcWorkStore.of(DB.dataSource()),
        b -> b.journey(ReanchorTest.RENEWAL));
  }

  /** The report's instant for a renewal date: 30 days before, 09:00 in Berlin. */
  private static Instant report(String renewal) {
    return ZonedDateTime.of(
            LocalDate.parse(renewal).minusDays(30), LocalTime.of(9, 0), JourneyKit.BERLIN)
        .toInstant();
  }

  @Test
  void renewalsMovedOnTwoInstancesWhileBothRunSendEachReportOnceAtItsFinalDate() throws Exception {
    DB.clear();
    SettableClock clock = SettableClock.of(ReanchorTest.SPRING);
    JourneyKit a = instance(clock);
    JourneyKit b = instance(clock);
    List<ContactId> contacts = new ArrayList<>();
    for (int i = 0; i < CONTACTS; i++) {
      ContactId c = a.contact("c" + i, JourneyKit.BERLIN, Map.of("renewal_date", "2027-04-10"));
      contacts.add(c);
      (i % 2 == 0 ? a : b).enrol(c, "renewal");
    }
    a.driver.runDue();
    b.driver.runDue();
    Instant changedAt = clock.instant();

    // a moves every third contact later across the DST change; b moves the next third into the
    // past (their reports go now, while both run); both move the last third, to different dates
    AtomicBoolean moving = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<?> movesA =
          pool.submit(
              () -> {
                for (int i = 0; i < CONTACTS; i++) {
                  if (i % 3 == 0) {
                    set(a, contacts.get(i), "2027-05-10");
                  } else if (i % 3 == 2) {
                    set(a, contacts.get(i), "2027-05-0" + (1 + i % 9));
                  }
                }
              });
      Future<?> movesB =
          pool.submit(
              () -> {
                for (int i = 0; i < CONTACTS; i++) {
                  if (i % 3 == 1) {
                    set(b, contacts.get(i), "2027-03-20");
                  } else if (i % 3 == 2) {
                    set(b, contacts.get(i), "2027-06-0" + (1 + i % 9));
                  }
                }
              });
      List<Future<?>> runners = new ArrayList<>();
      for (JourneyKit k : List.of(a, b)) {
        runners.add(
            pool.submit(
                () -> {
                  while (moving.get()) {
                    if (k.driver.runDue() == 0) {
                      Thread.onSpinWait();
                    }
                  }
                  k.driver.runDue();
                }));
      }
      movesA.get(60, TimeUnit.SECONDS);
      movesB.get(60, TimeUnit.SECONDS);
      moving.set(false);
      for (Future<?> r : runners) {
        r.get(60, TimeUnit.SECONDS);
      }

      // then time passes to every report's instant, both instances running what is due
      TreeSet<Instant> instants = new TreeSet<>();
      Map<ContactId, String> finalDate = new HashMap<>();
      for (ContactId c : contacts) {
        String date =
            a.store.contact(JourneyKit.TENANT, c).orElseThrow().attributes().get("renewal_date");
        finalDate.put(c, date);
        instants.add(report(date));
      }
      for (Instant at : instants.tailSet(changedAt, false)) {
        clock.set(at);
        Future<?> ra = pool.submit(() -> a.driver.runDue());
        Future<?> rb = pool.submit(() -> b.driver.runDue());
        ra.get(60, TimeUnit.SECONDS);
        rb.get(60, TimeUnit.SECONDS);
      }
      clock.set(Instant.parse("2027-09-01T00:00:00Z"));
      a.driver.runDue();
      b.driver.runDue();

      List<Message> sent = new ArrayList<>(a.transport.sent());
      sent.addAll(b.transport.sent());
      Map<ContactId, List<Instant>> byContact = new HashMap<>();
      for (Message m : sent) {
        byContact.computeIfAbsent(m.contact(), k -> new ArrayList<>()).add(m.createdAt());
      }
      for (int i = 0; i < CONTACTS; i++) {
        ContactId c = contacts.get(i);
        Instant expected =
            i % 3 == 1 ? changedAt : report(finalDate.get(c)); // a past wait runs at once
        assertThat(byContact.get(c)).as("sends to " + c).containsExactly(expected);
      }
      assertThat(sent).hasSize(CONTACTS);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void set(JourneyKit k, ContactId c, String date) {
    k.scheduler.setAttribute(JourneyKit.TENANT, c, "renewal_date", Optional.of(date));
  }
}
