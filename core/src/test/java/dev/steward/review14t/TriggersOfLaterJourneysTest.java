package dev.steward.review14t;

import static dev.steward.review14t.World14t.BERLIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.jdbc.JdbcJourneyStore;
import dev.steward.jdbc.JdbcTriggerStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EntryTrigger;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.InMemoryTriggerStore;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyStore;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Step;
import dev.steward.journey.TriggerStore;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Date and schedule timers are made when a contact's profile changes, and the scheduled
 * re-evaluation went only over contacts with a segment membership. So a renewal journey deployed
 * for existing customers (their profiles put before it was registered) never enrolled one of them
 * until their attributes changed; nor did a new version that put another trigger before the date
 * trigger (the old timer names the trigger by its place, finds an event trigger there and ends).
 */
class TriggersOfLaterJourneysTest {
  static final Instant START = Instant.parse("2026-03-16T06:00:00Z");
  static final Instant RENEWAL_MINUS_30 = Instant.parse("2026-04-01T07:00:00Z"); // 09:00 CEST

  static final JourneyDefinition RENEWAL_V1 =
      JourneyDefinition.builder("renewal", 1)
          .trigger(new EntryTrigger.OnDate("renewal_date", List.of(-30), LocalTime.of(9, 0)))
          .reEntry(ReEntry.always())
          .step(Step.Send.of("report", "tpl-report", MessageKind.RELATIONSHIP, "csm", null))
          .build();

  static final JourneyDefinition RENEWAL_V2 =
      JourneyDefinition.builder("renewal", 2)
          .trigger(new EntryTrigger.OnEvent("renewal-review-requested"))
          .trigger(new EntryTrigger.OnDate("renewal_date", List.of(-30), LocalTime.of(9, 0)))
          .reEntry(ReEntry.always())
          .step(Step.Send.of("report", "tpl-report", MessageKind.RELATIONSHIP, "csm", null))
          .build();

  record Stores3(JourneyStore journeys, TriggerStore triggers, WorkStore work) {}

  static Stores3 memory(SettableClock clock) {
    return new Stores3(
        InMemoryJourneyStore.of(), InMemoryTriggerStore.of(), InMemoryWorkStore.of(clock));
  }

  static Stores3 h2(SettableClock clock, String name) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review14t-later-" + name + ";DB_CLOSE_DELAY=-1");
    StewardSchema.bootstrap(ds);
    return new Stores3(
        JdbcJourneyStore.of(ds), JdbcTriggerStore.of(ds), InMemoryWorkStore.of(clock));
  }

  static void aJourneyRegisteredAfterTheContacts(SettableClock clock, Stores3 s) {
    World14t before = new World14t(clock, s.journeys(), s.triggers(), s.work(), List.of());
    ContactId ann = before.contact("ann", BERLIN, Map.of("renewal_date", "2026-05-01"));
    ContactId bob = before.contact("bob", BERLIN, Map.of("renewal_date", "2026-05-01"));
    clock.set(START.plus(Duration.ofHours(1)));
    World14t after = new World14t(clock, s.journeys(), s.triggers(), s.work(), List.of(RENEWAL_V1));
    after.runUntil(Instant.parse("2026-04-02T00:00:00Z"), Duration.ofHours(1));
    for (ContactId c : List.of(ann, bob)) {
      assertThat(after.enrolments(c, "renewal"))
          .extracting(Enrolment::enteredAt)
          .containsExactly(RENEWAL_MINUS_30);
    }
  }

  @Test
  void aRenewalJourneyRegisteredAfterTheContactsEnrolsThemInMemory() {
    SettableClock clock = SettableClock.of(START);
    aJourneyRegisteredAfterTheContacts(clock, memory(clock));
  }

  @Test
  void aRenewalJourneyRegisteredAfterTheContactsEnrolsThemOnH2() {
    SettableClock clock = SettableClock.of(START);
    aJourneyRegisteredAfterTheContacts(clock, h2(clock, "registered"));
  }

  @Test
  void aNewVersionWithAnotherTriggerBeforeTheDateTriggerStillEnrols() {
    SettableClock clock = SettableClock.of(START);
    Stores3 s = memory(clock);
    World14t v1 = new World14t(clock, s.journeys(), s.triggers(), s.work(), List.of(RENEWAL_V1));
    ContactId ann = v1.contact("ann", BERLIN, Map.of("renewal_date", "2026-05-01"));
    clock.set(START.plus(Duration.ofHours(1)));
    World14t v2 =
        new World14t(clock, s.journeys(), s.triggers(), s.work(), List.of(RENEWAL_V1, RENEWAL_V2));
    v2.runUntil(Instant.parse("2026-04-02T00:00:00Z"), Duration.ofHours(1));
    assertThat(v2.enrolments(ann, "renewal"))
        .extracting(Enrolment::enteredAt)
        .containsExactly(RENEWAL_MINUS_30);
  }
}
