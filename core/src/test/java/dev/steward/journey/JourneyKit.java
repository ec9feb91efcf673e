package dev.steward.journey;

import dev.steward.delivery.Dispatcher;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A journey scheduler wired for tests: a settable clock, a real dispatcher (no gates) over a
 * recording transport, in-memory stores unless given, and a manual driver. Its scheduler keeps
 * exact wall-clock times (a burst window of zero) unless {@code config} sets one.
 */
public final class JourneyKit {
  public static final TenantId TENANT = TenantId.of("t1");
  public static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  public final SettableClock clock;
  public final JourneyStore store;
  public final WorkStore work;
  public final RecordingTransport transport = RecordingTransport.of();
  public final Dispatcher dispatcher;
  public final JourneyScheduler scheduler;
  public final WorkRunner runner;
  public final ManualWorkDriver driver;

  public JourneyKit(Instant start, UnaryOperator<JourneyScheduler.Builder> config) {
    this(SettableClock.of(start), InMemoryJourneyStore.of(), null, config);
  }

  /** A kit over given stores (another instance, a restart); a null work store is made in memory. */
  public JourneyKit(
      SettableClock clock,
      JourneyStore store,
      WorkStore work,
      UnaryOperator<JourneyScheduler.Builder> config) {
    this.clock = clock;
    work = work == null ? InMemoryWorkStore.of(clock) : work;
    this.store = store;
    this.work = work;
    this.dispatcher = Dispatcher.builder(transport, clock).workStore(work).build();
    this.scheduler =
        config
            .apply(
                // exact wall-clock times, so that tests can name them; BurstSpreadTest spreads
                JourneyScheduler.builder(clock, store, work)
                    .dispatcher(dispatcher)
                    .burstWindow(Duration.ZERO))
            .build();
    this.runner =
        scheduler
            .registerWith(dispatcher.registerWith(WorkRunner.builder(work, clock).owner("kit")))
            .build();
    this.driver = ManualWorkDriver.of(runner, clock);
  }

  /** Puts a contact with an address, the zone and attributes. */
  public ContactId contact(String id, ZoneId zone, Map<String, String> attributes) {
    return contact(TENANT, id, zone, attributes);
  }

  /** Puts a contact of {@code tenant} with an address, the zone and attributes. */
  public ContactId contact(
      TenantId tenant, String id, ZoneId zone, Map<String, String> attributes) {
    ContactId c = ContactId.of(id);
    store.putContact(
        new ContactProfile(
            tenant,
            c,
            AccountId.of("acct-" + id),
            Optional.of(EmailAddress.of(id + "@example.com")),
            Optional.ofNullable(zone),
            attributes));
    return c;
  }

  public EnrolResult enrol(ContactId c, String journey) {
    return scheduler.enrol(TENANT, c, journey);
  }

  /** Runs due work every {@code step} until {@code until}, so every item runs at its due time. */
  public void runUntil(Instant until, Duration step) {
    driver.runDue();
    while (clock.instant().isBefore(until)) {
      Instant next = clock.instant().plus(step);
      driver.advanceTo(next.isAfter(until) ? until : next);
    }
  }

  /** Sends so far as "contact template at", in order. */
  public List<String> sends() {
    List<String> out = new ArrayList<>();
    for (Message m : transport.sent()) {
      out.add(m.contact() + " " + m.templateId() + " " + m.createdAt());
    }
    return out;
  }

  /** The messages sent to a contact. */
  public List<Message> sentTo(ContactId c) {
    return transport.sent().stream().filter(m -> m.contact().equals(c)).toList();
  }

  /** The provider event of {@code type} about {@code m}, as the ingestor hands it on. */
  public static EmailEvent event(String id, EmailEventType type, Message m, Instant at) {
    return EmailEvent.of(
        id, type, at, m.to(), m.id(), m.tenant(), m.account(), m.contact(), m.category(), Map.of());
  }

  /** The only enrolment of a contact. */
  public Enrolment only(ContactId c) {
    List<Enrolment> all = store.enrolments(TENANT, c);
    if (all.size() != 1) {
      throw new AssertionError("expected one enrolment of " + c + ", found " + all);
    }
    return all.get(0);
  }

  public List<StepOutcome> outcomes(Enrolment e) {
    return store.history(TENANT, e.id()).stream().map(HistoryEntry::outcome).toList();
  }
}
