package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Dispatcher;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EntryTrigger;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.JourneyTriggers;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Segment;
import dev.steward.journey.Step;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two application instances over one PostgreSQL database run the same date and segment triggers:
 * every renewal occurrence and every segment entry enrols once, and the daily re-evaluation runs
 * once a day between them.
 */
class JdbcJourneyTriggersTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId TENANT = TenantId.of("t1");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static final JourneyDefinition RENEWAL =
      JourneyDefinition.builder("renewal-nudge", 1)
          .trigger(new EntryTrigger.OnDate("renewal_date", List.of(-90, -60), LocalTime.of(9, 0)))
          .reEntry(ReEntry.always())
          .step(Step.Send.of("send", "tpl-renewal", MessageKind.RELATIONSHIP, "csm", null))
          .build();

  private static final JourneyDefinition LAPSED =
      JourneyDefinition.builder("lapsed", 1)
          .trigger(
              new EntryTrigger.InSegment(
                  Segment.and(
                      Segment.none("login", Duration.ofDays(3)),
                      Segment.atLeast(1, "login", Duration.ofDays(30)))))
          .reEntry(ReEntry.always())
          .step(Step.Send.of("send", "tpl-lapsed", MessageKind.RELATIONSHIP, "csm", null))
          .build();

  /** One instance: its own stores over the shared database, scheduler, triggers and driver. */
  private static final class Instance {
    final JourneyScheduler journeys;
    final JourneyTriggers triggers;
    final ManualWorkDriver driver;

    Instance(String name, SettableClock clock, RecordingTransport transport) {
      WorkStore work = JdbcWorkStore.of(DB.dataSource());
      Dispatcher dispatcher = Dispatcher.builder(transport, clock).workStore(work).build();
      journeys =
          JourneyScheduler.builder(clock, JdbcJourneyStore.of(DB.dataSource()), work)
              .dispatcher(dispatcher)
              .journey(RENEWAL)
              .journey(LAPSED)
              .build();
      triggers =
          JourneyTriggers.builder(clock, journeys, JdbcTriggerStore.of(DB.dataSource()), work)
              .build();
      WorkRunner runner =
          triggers
              .registerWith(
                  journeys.registerWith(
                      dispatcher.registerWith(WorkRunner.builder(work, clock).owner(name))))
              .build();
      driver = ManualWorkDriver.of(runner, clock);
    }
  }

  @Test
  void twoInstancesEnrolEachOccurrenceAndEachEntryOnce() {
    DB.clear();
    Instant start = Instant.parse("2026-08-21T00:00:00Z");
    SettableClock clock = SettableClock.of(start);
    RecordingTransport transport = RecordingTransport.of();
    Instance one = new Instance("one", clock, transport);
    Instance two = new Instance("two", clock, transport);
    ContactId ann = ContactId.of("ann");
    one.journeys.putContact(
        new ContactProfile(
            TENANT,
            ann,
            AccountId.of("acme"),
            Optional.of(EmailAddress.of("ann@example.com")),
            Optional.of(BERLIN),
            Map.of("renewal_date", "2026-11-20")));
    two.triggers.evaluate(TENANT, ann);
    one.triggers.recordEvent(TENANT, ann, "login-1", "login", start);
    two.triggers.recordEvent(TENANT, ann, "login-1", "login", start); // the same event twice

    // both instances run their due work at each midnight (the daily pass) and at the two
    // occurrences, 09:00 in Berlin
    java.util.TreeSet<Instant> ticks =
        new java.util.TreeSet<>(
            List.of(Instant.parse("2026-08-22T07:00:00Z"), Instant.parse("2026-09-21T07:00:00Z")));
    for (int day = 1; day <= 32; day++) {
      ticks.add(start.plus(Duration.ofDays(day)));
    }
    for (Instant t : ticks) {
      one.driver.advanceTo(t);
      two.driver.runDue();
      one.driver.runDue();
    }
    assertThat(transport.sent().stream().map(m -> m.templateId() + " " + m.createdAt()).toList())
        .containsExactly(
            "tpl-renewal 2026-08-22T07:00:00Z",
            // three days without a login ran out at midnight on the 24th: the daily pass found it
            "tpl-lapsed 2026-08-24T00:00:00Z",
            "tpl-renewal 2026-09-21T07:00:00Z");
    assertThat(one.journeys.enrolments(TENANT, ann)).hasSize(3);
  }
}
