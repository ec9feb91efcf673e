package dev.steward.journey;

import static dev.steward.journey.JourneyKit.TENANT;

import dev.steward.delivery.Dispatcher;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A journey scheduler with its triggers, wired for tests: a settable clock, a dispatcher without
 * gates over a recording transport, in-memory stores unless given, one runner driven by hand.
 */
final class TriggerKit {
  final SettableClock clock;
  final JourneyStore store;
  final TriggerStore triggerStore;
  final WorkStore work;
  final RecordingTransport transport;
  final JourneyScheduler scheduler;
  final JourneyTriggers triggers;
  final ManualWorkDriver driver;

  TriggerKit(Instant start, List<JourneyDefinition> journeys) {
    this(start, journeys, t -> t);
  }

  TriggerKit(
      Instant start, List<JourneyDefinition> journeys, UnaryOperator<JourneyTriggers.Builder> tc) {
    this(
        SettableClock.of(start),
        InMemoryJourneyStore.of(),
        InMemoryTriggerStore.of(),
        null,
        RecordingTransport.of(),
        journeys,
        tc,
        "kit");
  }

  /** Another instance over the same stores, clock and transport. */
  TriggerKit twin(List<JourneyDefinition> journeys, UnaryOperator<JourneyTriggers.Builder> tc) {
    return new TriggerKit(clock, store, triggerStore, work, transport, journeys, tc, "twin");
  }

  TriggerKit(
      SettableClock clock,
      JourneyStore store,
      TriggerStore triggerStore,
      WorkStore work,
      RecordingTransport transport,
      List<JourneyDefinition> journeys,
      UnaryOperator<JourneyTriggers.Builder> tc,
      String owner) {
    this.clock = clock;
    this.store = store;
    this.triggerStore = triggerStore;
    this.work = work == null ? InMemoryWorkStore.of(clock) : work;
    this.transport = transport;
    Dispatcher dispatcher = Dispatcher.builder(transport, clock).workStore(this.work).build();
    JourneyScheduler.Builder b =
        JourneyScheduler.builder(clock, store, this.work).dispatcher(dispatcher);
    journeys.forEach(b::journey);
    this.scheduler = b.build();
    this.triggers =
        tc.apply(JourneyTriggers.builder(clock, scheduler, triggerStore, this.work)).build();
    WorkRunner runner =
        triggers
            .registerWith(
                scheduler.registerWith(
                    dispatcher.registerWith(WorkRunner.builder(this.work, clock).owner(owner))))
            .build();
    this.driver = ManualWorkDriver.of(runner, clock);
  }

  /** Puts a contact through the scheduler (so its triggers are evaluated). */
  ContactId contact(String id, ZoneId zone, Map<String, String> attributes) {
    ContactId c = ContactId.of(id);
    scheduler.putContact(
        new ContactProfile(
            TENANT,
            c,
            AccountId.of("acct-" + id),
            Optional.of(EmailAddress.of(id + "@example.com")),
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

  List<Enrolment> enrolments(ContactId c) {
    return store.enrolments(TENANT, c);
  }

  List<Enrolment> enrolments(ContactId c, String journey) {
    return store.enrolments(TENANT, c).stream().filter(e -> e.journey().equals(journey)).toList();
  }

  /** "template at" of the messages sent to a contact, in order. */
  List<String> timeline(ContactId c) {
    List<String> out = new ArrayList<>();
    for (Message m : transport.sent()) {
      if (m.contact().equals(c)) {
        out.add(m.templateId() + " " + m.createdAt());
      }
    }
    return out;
  }

  /** The journey steps an enrolment's history went through with the outcome, in order. */
  List<String> history(Enrolment e) {
    return store.history(TENANT, e.id()).stream()
        .map(h -> h.step() + " " + h.outcome() + " " + h.at())
        .toList();
  }
}
