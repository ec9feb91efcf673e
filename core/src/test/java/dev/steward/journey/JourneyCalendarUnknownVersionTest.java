package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.calendar.InMemoryCalendarStore;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * rcal (c): during a rolling deploy an instance that knows only version 1 of a journey syncs the
 * calendar entry of an ACTIVE enrolment on version 2 (a change it read back after its own write,
 * made by an instance that knows version 2). It cannot tell the enrolment's next step, so it must
 * leave the entry alone; it took the step for no send and cancelled, at the enrolment's seq, the
 * entry the other instance had planned at that seq, so the upcoming send vanished from the
 * calendar.
 */
class JourneyCalendarUnknownVersionTest {
  static final Instant START = Instant.parse("2027-03-01T08:00:00Z");

  /** Version 1: a day's wait, then a send. */
  static final JourneyDefinition V1 = JourneyCalendarWritesTest.WAIT_THEN_SEND;

  /** Version 2: two days' wait, then another send. */
  static final JourneyDefinition V2 =
      JourneyDefinition.builder("nudge", 2)
          .team("csm")
          .step(new Step.Wait("w", Duration.ofDays(2), Optional.of("s2")))
          .step(Step.Send.of("s2", "tpl-nudge-2", MessageKind.RELATIONSHIP, "offers", null))
          .build();

  @Test
  void anInstanceThatDoesNotKnowTheEnrolmentsVersionLeavesItsEntryAlone() {
    InMemoryCalendarStore store = InMemoryCalendarStore.of();
    SettableClock clock = SettableClock.of(START);
    CommunicationCalendar calendar = CommunicationCalendar.builder(store, clock).build();
    JourneyKit newer =
        new JourneyKit(
            clock,
            InMemoryJourneyStore.of(),
            null,
            b -> b.journey(V1).journey(V2).calendar(calendar));
    ContactId ann = newer.contact("ann", BERLIN, Map.of());
    newer.enrol(ann, "nudge");
    newer.driver.runDue(); // the wait begins: the next step is version 2's send
    Enrolment e = newer.only(ann);
    assertThat(e.version()).isEqualTo(2);
    assertThat(e.state()).isEqualTo(EnrolmentState.ACTIVE);
    String id = JourneyCalendar.entryId(e.id());
    CalendarEntry planned = store.find(TENANT, id).orElseThrow();
    assertThat(planned.status()).isEqualTo(CalendarEntry.Status.SCHEDULED);
    assertThat(planned.category()).contains("offers");

    JourneyCalendar older =
        new JourneyCalendar(
            calendar, newer.store, (j, v) -> v == 1 ? Optional.of(V1) : Optional.empty());
    older.sync(e);

    assertThat(store.find(TENANT, id)).contains(planned);
    // what it knows it still syncs: the enrolment finished is cancelled whatever its version
    older.sync(e.next("s2", EnrolmentState.COMPLETED, clock.instant(), clock.instant()));
    assertThat(store.find(TENANT, id).orElseThrow().status())
        .isEqualTo(CalendarEntry.Status.CANCELLED);
  }
}
