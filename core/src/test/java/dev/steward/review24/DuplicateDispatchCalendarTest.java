package dev.steward.review24;

import static dev.steward.review24.World24.ACME;
import static dev.steward.review24.World24.ANN;
import static dev.steward.review24.World24.MAX;
import static dev.steward.review24.World24.MIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarEntry;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.Step;
import dev.steward.model.MessageKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Suspicion (e) of the calendar review: a journey send that reached the provider, whose run then
 * failed before the message was recorded on the calendar (the calendar store briefly unreachable),
 * is run again; the dispatcher answers DUPLICATE (the ledger says SENT) and nothing is recorded, so
 * the calendar never shows a message that went out.
 */
class DuplicateDispatchCalendarTest {
  private static final JourneyDefinition HELLO =
      JourneyDefinition.builder("hello", 1)
          .step(Step.Send.of("hello", "tpl-hello", MessageKind.EDUCATIONAL, "onboarding", "rest"))
          .step(new Step.Wait("rest", Duration.ofDays(30), java.util.Optional.empty()))
          .build();

  @Test
  void aSendFoundSentByTheLedgerOnItsRetryIsRecordedSentOnTheCalendar() {
    World24 w = new World24(HELLO);
    w.putAnn();
    w.steward.journeys().orElseThrow().enrol(ACME, ANN, "hello");
    w.calendarStore.failNext(FlakyCalendarStore.Op.PUT_UNLESS_SENT, 1);

    w.steward.runDue();
    assertThat(w.calendarStore.failed).hasValue(1);
    assertThat(w.transport.sent()).hasSize(1);
    for (int i = 0; i < 10; i++) { // the retry, after the work's back-off
      w.clock.advance(Duration.ofMinutes(10));
      w.steward.runDue();
    }

    assertThat(w.transport.sent()).hasSize(1); // never sent twice
    List<CalendarEntry> sent =
        w.steward.calendar().forContact(ACME, ANN, MIN, MAX).stream()
            .filter(e -> e.status() == CalendarEntry.Status.SENT)
            .toList();
    assertThat(sent).hasSize(1);
  }
}
