package dev.steward.review24;

import static dev.steward.review24.World24.ACME;
import static dev.steward.review24.World24.ANN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarEntry;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.Step;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Suspicion (d) of the calendar review: the calendar cancel that follows an enrolment's last step
 * fails once (the calendar store briefly unreachable). It was only logged, and with the enrolment
 * finished no later change brings its entry in line: a SCHEDULED upcoming send of a journey that
 * has ended would stay on the calendar, in every team's view and in the conflict rules, forever.
 */
class FinalCalendarCancelFailureTest {
  private static final JourneyDefinition HELLO =
      JourneyDefinition.builder("hello", 1)
          .step(Step.Send.of("hello", "tpl-hello", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  @Test
  void theEndedEnrolmentsUpcomingSendIsCancelledOnceTheCalendarIsBack() {
    World24 w = new World24(HELLO);
    w.putAnn();
    EnrolResult r = w.steward.journeys().orElseThrow().enrol(ACME, ANN, "hello");
    String id = r.enrolment().orElseThrow().id();
    String entry = "journey:" + id;
    assertThat(w.steward.calendar().find(ACME, entry))
        .map(CalendarEntry::status)
        .contains(CalendarEntry.Status.SCHEDULED);
    w.calendarStore.failNext(FlakyCalendarStore.Op.CANCEL_PLANNED, 1);

    w.steward.runDue();
    assertThat(w.calendarStore.failed).hasValue(1);
    assertThat(w.transport.sent()).hasSize(1);
    Optional<Enrolment> ended = w.plain.journeys().find(ACME, id);
    assertThat(ended).map(Enrolment::state).contains(EnrolmentState.COMPLETED);
    for (int i = 0; i < 12; i++) { // later runs and sweeps, the calendar store back
      w.clock.advance(Duration.ofMinutes(30));
      w.steward.runDue();
    }

    assertThat(w.transport.sent()).hasSize(1); // never sent twice
    assertThat(w.steward.calendar().find(ACME, entry))
        .map(CalendarEntry::status)
        .isNotEqualTo(Optional.of(CalendarEntry.Status.SCHEDULED));
  }
}
