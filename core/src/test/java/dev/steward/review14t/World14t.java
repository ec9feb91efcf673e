package dev.steward.review14t;

import dev.steward.delivery.Dispatcher;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.Enrolment;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.InMemoryTriggerStore;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.JourneyStore;
import dev.steward.journey.JourneyTriggers;
import dev.steward.journey.TriggerStore;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A journey scheduler with its triggers over in-memory stores (unless given), driven by hand, for
 * the review's tests: only the public API.
 */
final class World14t {
  static final TenantId TENANT = TenantId.of("t-review14t");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  final SettableClock clock;
  final JourneyStore store;
  final TriggerStore triggerStore;
  final WorkStore work;
  final RecordingTransport transport;
  final JourneyScheduler scheduler;
  final JourneyTriggers triggers;
  final ManualWorkDriver driver;

  World14t(Instant start, List<JourneyDefinition> journeys) {
    this(SettableClock.of(start), InMemoryJourneyStore.of(), InMemoryTriggerStore.of(), journeys);
  }

  World14t(
      SettableClock clock,
      JourneyStore store,
      TriggerStore triggerStore,
      List<JourneyDefinition> journeys) {
    this(clock, store, triggerStore, InMemoryWorkStore.of(clock), journeys);
  }

  /** Another instance (or a redeployment) over the same stores. */
  World14t(
      SettableClock clock,
      JourneyStore store,
      TriggerStore triggerStore,
      WorkStore work,
      List<JourneyDefinition> journeys) {
    this.clock = clock;
    this.store = store;
    this.triggerStore = triggerStore;
    this.work = work;
    this.transport = RecordingTransport.of();
    Dispatcher dispatcher = Dispatcher.builder(transport, clock).workStore(work).build();
    JourneyScheduler.Builder b =
        JourneyScheduler.builder(clock, store, work)
            .dispatcher(dispatcher)
            .burstWindow(Duration.ZERO);
    journeys.forEach(b::journey);
    this.scheduler = b.build();
    this.triggers = JourneyTriggers.builder(clock, scheduler, triggerStore, work).build();
    WorkRunner runner =
        triggers
            .registerWith(
                scheduler.registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock))))
            .build();
    this.driver = ManualWorkDriver.of(runner, clock);
  }

  ContactId contact(String id, ZoneId zone, Map<String, String> attributes) {
    ContactId c = ContactId.of(id);
    scheduler.putContact(
        new ContactProfile(
            TENANT,
            c,
            AccountId.of("acct-" + id),
            Optional.of(EmailAddress.of("c" + Math.abs(id.hashCode()) + "@example.com")),
            Optional.ofNullable(zone),
            attributes));
    return c;
  }

  void set(ContactId c, String name, String value) {
    scheduler.setAttribute(TENANT, c, name, Optional.ofNullable(value));
  }

  /** Runs due work every {@code step} until {@code until}. */
  void runUntil(Instant until, Duration step) {
    driver.runDue();
    while (clock.instant().isBefore(until)) {
      Instant next = clock.instant().plus(step);
      driver.advanceTo(next.isAfter(until) ? until : next);
    }
  }

  List<Enrolment> enrolments(ContactId c, String journey) {
    return store.enrolments(TENANT, c).stream().filter(e -> e.journey().equals(journey)).toList();
  }
}
