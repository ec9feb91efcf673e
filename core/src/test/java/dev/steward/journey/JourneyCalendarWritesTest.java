package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarChange;
import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CalendarStore;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.calendar.InMemoryCalendarStore;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What a journey's steps write to the calendar (pg14): the upcoming-send entry is written by id as
 * its plan's seq, never under the calendar's scope lock and without reading the account's or the
 * contact's entries; a step whose next step is no send writes nothing when there is no entry.
 */
class JourneyCalendarWritesTest {
  static final Instant START = Instant.parse("2027-03-01T08:00:00Z");

  static final JourneyDefinition WAIT_THEN_SEND =
      JourneyDefinition.builder("nudge", 1)
          .team("csm")
          .step(new Step.Wait("w", Duration.ofDays(1), Optional.of("s")))
          .step(Step.Send.of("s", "tpl-nudge", MessageKind.RELATIONSHIP, "nudges", null))
          .build();

  /** Forwards everything to a store in memory and logs each call that reads or writes. */
  static final class Logging implements CalendarStore {
    final InMemoryCalendarStore inner = InMemoryCalendarStore.of();
    final List<String> calls = new ArrayList<>();

    @Override
    public void put(CalendarEntry entry) {
      calls.add("put");
      inner.put(entry);
    }

    @Override
    public Optional<CalendarEntry> find(TenantId tenant, String id) {
      calls.add("find");
      return inner.find(tenant, id);
    }

    @Override
    public List<CalendarEntry> forAccount(
        TenantId tenant, AccountId account, Instant from, Instant to) {
      calls.add("forAccount");
      return inner.forAccount(tenant, account, from, to);
    }

    @Override
    public List<CalendarEntry> forContact(
        TenantId tenant, ContactId contact, Instant from, Instant to) {
      calls.add("forContact");
      return inner.forContact(tenant, contact, from, to);
    }

    @Override
    public int eraseContact(TenantId tenant, ContactId contact) {
      calls.add("eraseContact");
      return inner.eraseContact(tenant, contact);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      calls.add("eraseTenant");
      return inner.eraseTenant(tenant);
    }

    @Override
    public <R> R update(
        TenantId tenant,
        Set<AccountId> accounts,
        Set<ContactId> contacts,
        Function<LockedView, CalendarChange<R>> change) {
      calls.add("update");
      return inner.update(tenant, accounts, contacts, change);
    }

    @Override
    public boolean putPlanned(CalendarEntry entry, long seq) {
      boolean written = inner.putPlanned(entry, seq);
      calls.add("putPlanned " + seq + " " + written);
      return written;
    }

    @Override
    public boolean cancelPlanned(TenantId tenant, String id, long seq) {
      boolean written = inner.cancelPlanned(tenant, id, seq);
      calls.add("cancelPlanned " + seq + " " + written);
      return written;
    }

    @Override
    public boolean putUnlessSent(CalendarEntry entry) {
      boolean written = inner.putUnlessSent(entry);
      calls.add("putUnlessSent " + entry.status() + " " + written);
      return written;
    }
  }

  @Test
  void eachStepWritesItsEntryByIdWithoutALockOrARangeRead() {
    Logging store = new Logging();
    SettableClock clock = SettableClock.of(START);
    CommunicationCalendar calendar = CommunicationCalendar.builder(store, clock).build();
    JourneyKit kit =
        new JourneyKit(
            clock,
            InMemoryJourneyStore.of(),
            null,
            b -> b.journey(WAIT_THEN_SEND).calendar(calendar));
    ContactId ann = kit.contact("ann", BERLIN, Map.of());

    kit.enrol(ann, "nudge");
    Enrolment e = kit.only(ann);
    String id = "journey:" + e.id();
    kit.driver.runDue(); // the wait begins: the next step is the send, due in a day
    assertThat(store.inner.find(TENANT, id).orElseThrow().status())
        .isEqualTo(CalendarEntry.Status.SCHEDULED);
    assertThat(store.inner.find(TENANT, id).orElseThrow().at())
        .isEqualTo(START.plus(Duration.ofDays(1)));

    kit.clock.advance(Duration.ofDays(1));
    kit.driver.runDue(); // the send, then the journey ends

    assertThat(kit.sentTo(ann)).hasSize(1);
    assertThat(store.inner.find(TENANT, id).orElseThrow().status())
        .isEqualTo(CalendarEntry.Status.CANCELLED);
    String message = kit.sentTo(ann).get(0).id().value();
    assertThat(store.inner.find(TENANT, message).orElseThrow().status())
        .isEqualTo(CalendarEntry.Status.SENT);
    assertThat(store.calls)
        .as("no scope lock, no range read, no entry read")
        .doesNotContain("update", "forAccount", "forContact", "find");
    assertThat(store.calls)
        .containsExactly(
            "cancelPlanned 0 false", // enrolled at the wait: no entry, nothing written
            "putPlanned 1 true", // the wait began: the send is next
            "putUnlessSent SENT true", // the send, recorded
            "cancelPlanned 2 true"); // the journey completed
  }

  @Test
  void anEnrolmentReadsItsContactOnceAndItsCalendarPlanTakesThatProfile() {
    Logging calendarStore = new Logging();
    SettableClock clock = SettableClock.of(START);
    CommunicationCalendar calendar = CommunicationCalendar.builder(calendarStore, clock).build();
    InMemoryJourneyStore real = InMemoryJourneyStore.of();
    AtomicInteger contactReads = new AtomicInteger();
    JourneyStore counted =
        (JourneyStore)
            Proxy.newProxyInstance(
                JourneyStore.class.getClassLoader(),
                new Class<?>[] {JourneyStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("contact")) {
                    contactReads.incrementAndGet();
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    JourneyDefinition sendFirst =
        JourneyDefinition.builder("hello", 1)
            .team("csm")
            .step(Step.Send.of("s", "tpl-hello", MessageKind.RELATIONSHIP, "hellos", null))
            .build();
    JourneyKit kit =
        new JourneyKit(clock, counted, null, b -> b.journey(sendFirst).calendar(calendar));
    ContactId ann = kit.contact("ann", BERLIN, Map.of());
    contactReads.set(0);

    kit.enrol(ann, "hello");

    // pgtx2: the enrolment's own read; the calendar's plan of the first send takes its profile
    assertThat(contactReads).hasValue(1);
    assertThat(calendarStore.calls).containsExactly("putPlanned 0 true");
    CalendarEntry planned =
        calendarStore.inner.find(TENANT, "journey:" + kit.only(ann).id()).orElseThrow();
    assertThat(planned.account()).isEqualTo(real.contact(TENANT, ann).orElseThrow().account());
  }
}
