package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.calendar.CalendarEntry;
import dev.steward.calendar.CommunicationCalendar;
import dev.steward.calendar.InMemoryCalendarStore;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Hostile review (rb6): the calendar's check after writing a plan now asks the store for the
 * enrolment's seq (mem5's JourneyStore.seqOf; the in-memory store answers from its row). An
 * enrolment that another instance changed or erased between the plan and the check, its own sync
 * having run before the write, still has its entry brought in line; one left alone keeps the plan.
 */
class JourneyCalendarRb6ChangedAfterPlanTest {

  @Test
  void anEnrolmentLeftAloneKeepsThePlanJustWritten() {
    Fixture f = new Fixture((store, e) -> {});
    assertThat(f.entryAfterSync().status()).isEqualTo(CalendarEntry.Status.SCHEDULED);
  }

  @Test
  void anEnrolmentThatEndedBetweenThePlanAndTheCheckHasItsEntryCancelled() {
    Fixture f =
        new Fixture(
            (store, e) -> {
              Instant now = e.updatedAt();
              Enrolment ended = e.next("s", EnrolmentState.COMPLETED, now, now);
              HistoryEntry h =
                  new HistoryEntry(ended.seq(), "s", now, StepOutcome.EXITED, "ended elsewhere");
              assertThat(store.advance(ended, h)).isTrue();
            });
    assertThat(f.entryAfterSync().status()).isEqualTo(CalendarEntry.Status.CANCELLED);
  }

  @Test
  void anEnrolmentWhoseContactWasErasedBetweenThePlanAndTheCheckLeavesNoEntry() {
    Fixture f = new Fixture((store, e) -> store.eraseContact(e.tenant(), e.contact()));
    f.calendar.sync(f.enrolment);
    assertThat(f.calendarStore.find(TENANT, JourneyCalendar.entryId(f.enrolment.id()))).isEmpty();
  }

  /**
   * The contact was erased and enrolled again under the same keyed id between the plan and the
   * check (the new enrolment's own sync ran before this plan was written, so it found nothing to
   * cancel). The check finds the enrolment at a lower seq than the plan's: the plan written for the
   * erased one must not stay as the new enrolment's upcoming send (its first step is a wait).
   */
  @Test
  void anEnrolmentMadeAgainUnderItsIdBetweenThePlanAndTheCheckDoesNotKeepTheErasedOnesSend() {
    boolean[] done = {false};
    Fixture f =
        new Fixture(
            (store, e) -> {
              if (done[0]) {
                return;
              }
              done[0] = true;
              store.eraseContact(e.tenant(), e.contact());
              ContactProfile back =
                  new ContactProfile(
                      e.tenant(),
                      e.contact(),
                      AccountId.of("acct-" + e.contact().value()),
                      Optional.of(EmailAddress.of("back@example.com")),
                      Optional.of(BERLIN),
                      Map.of());
              store.putContact(back);
              Instant now = e.updatedAt();
              Enrolment again =
                  new Enrolment(
                      e.tenant(),
                      e.id(),
                      e.contact(),
                      e.journey(),
                      1,
                      "w",
                      0,
                      EnrolmentState.ACTIVE,
                      now,
                      now,
                      now,
                      Optional.empty(),
                      Optional.empty());
              assertThat(store.enrol(again, ReEntry.always(), 5).status())
                  .isEqualTo(EnrolResult.Status.ENROLLED);
            });
    f.calendar.sync(f.enrolment);
    // the new enrolment waits first: no upcoming send, and nothing of the erased one's
    assertThat(f.calendarStore.find(TENANT, JourneyCalendar.entryId(f.enrolment.id()))).isEmpty();
  }

  /**
   * A kit whose enrolment waits before a send, and a calendar over a fresh calendar store (so its
   * plan is written) whose journey store runs {@code between} (on the kit's store) after the plan,
   * before the check.
   */
  private static final class Fixture {
    final InMemoryCalendarStore calendarStore = InMemoryCalendarStore.of();
    final Enrolment enrolment;
    final JourneyCalendar calendar;

    Fixture(BiConsumer<JourneyStore, Enrolment> between) {
      JourneyKit kit =
          new JourneyKit(
              JourneyCalendarUnknownVersionTest.START,
              b -> b.journey(JourneyCalendarWritesTest.WAIT_THEN_SEND));
      ContactId ann = kit.contact("ann", BERLIN, Map.of());
      kit.enrol(ann, "nudge");
      kit.driver.runDue(); // the wait begins: the next step is the send
      enrolment = kit.only(ann);
      assertThat(enrolment.state()).isEqualTo(EnrolmentState.ACTIVE);
      JourneyStore hooked =
          new DelegatingJourneyStore(kit.store) {
            @Override
            public boolean holdsInUnit(Enrolment e) {
              between.accept(kit.store, e); // called right after the plan was written
              return super.holdsInUnit(e);
            }

            @Override
            public OptionalInt seqOf(TenantId tenant, String enrolmentId) {
              return kit.store.seqOf(tenant, enrolmentId); // the store's own, not the default
            }
          };
      calendar =
          new JourneyCalendar(
              CommunicationCalendar.builder(calendarStore, kit.clock).build(),
              hooked,
              (j, v) -> Optional.of(JourneyCalendarWritesTest.WAIT_THEN_SEND));
    }

    CalendarEntry entryAfterSync() {
      calendar.sync(enrolment);
      return calendarStore.find(TENANT, JourneyCalendar.entryId(enrolment.id())).orElseThrow();
    }
  }
}
