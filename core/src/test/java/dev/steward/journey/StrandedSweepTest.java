package dev.steward.journey;

import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.Dispatcher;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The recurring sweep that gives enrolments whose work item was lost a new one. */
class StrandedSweepTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  private static JourneyDefinition journey(String id, int version) {
    return JourneyDefinition.builder(id, version)
        .step(Step.Send.of("s", "tpl-" + id + version, MessageKind.EDUCATIONAL, "onboarding", null))
        .build();
  }

  private static void put(JourneyStore store, String id) {
    store.putContact(
        new ContactProfile(
            TENANT,
            ContactId.of(id),
            AccountId.of("acct"),
            Optional.of(EmailAddress.of(id + "@example.com")),
            Optional.of(JourneyKit.BERLIN),
            Map.of()));
  }

  /**
   * More overdue enrolments than one batch of the sweep, all with live work items that cannot run
   * them yet (a rolling deploy: a newer instance enrolled them in a version this one does not know,
   * so it looks again every 15 minutes), sort before an enrolment that really lost its item. The
   * sweep pages on past them, so the stranded one is found in the first hourly pass after it is
   * overdue; a sweep that only ever looked at the first batch would never reach it.
   */
  @Test
  void overdueEnrolmentsWithLiveItemsDoNotHideAStrandedOneBehindThem() {
    SettableClock clock = SettableClock.of(START);
    JourneyStore store = InMemoryJourneyStore.of();
    InMemoryWorkStore work = InMemoryWorkStore.of(clock);
    JourneyScheduler newer =
        JourneyScheduler.builder(clock, store, work)
            .sender(
                m -> {
                  throw new AssertionError("this instance never runs");
                })
            .journey(journey("j", 2))
            .build();
    int blockers = Recurring.DEFAULT_BATCH_SIZE + 200;
    for (int i = 0; i < blockers; i++) {
      put(store, "new-" + i);
      assertThat(newer.enrol(TENANT, ContactId.of("new-" + i), "j").enrolled()).isTrue();
    }

    RecordingTransport transport = RecordingTransport.of();
    Dispatcher dispatcher = Dispatcher.builder(transport, clock).workStore(work).build();
    JourneyScheduler current =
        JourneyScheduler.builder(clock, store, work)
            .dispatcher(dispatcher)
            .journey(journey("j", 1))
            .journey(journey("k", 1))
            .build();
    ManualWorkDriver driver =
        ManualWorkDriver.of(
            current
                .registerWithSweep(dispatcher.registerWith(WorkRunner.builder(work, clock)))
                .build(),
            clock);
    clock.advance(Duration.ofMinutes(1));
    put(store, "late");
    assertThat(current.enrol(TENANT, ContactId.of("late"), "k").enrolled()).isTrue();
    Enrolment late = store.enrolments(TENANT, ContactId.of("late")).get(0);
    // the process died between the enrolment and its item
    assertThat(work.cancel(WorkKey.of(TENANT, JourneyScheduler.STEP_KIND, late.id()))).isTrue();

    // stranded after an hour; the hourly sweep runs at 10:00, 11:00 and so on
    for (int h = 0; h < 3; h++) {
      driver.advance(Duration.ofHours(1));
    }

    assertThat(transport.sent()).extracting(m -> m.contact().value()).containsExactly("late");
    assertThat(store.find(TENANT, late.id()).orElseThrow().state())
        .isEqualTo(EnrolmentState.COMPLETED);
    // the blockers are still there, overdue, each with its item
    Enrolment blocker = store.enrolments(TENANT, ContactId.of("new-" + (blockers - 1))).get(0);
    assertThat(blocker.state()).isEqualTo(EnrolmentState.ACTIVE);
    assertThat(work.find(WorkKey.of(TENANT, JourneyScheduler.STEP_KIND, blocker.id()))).isPresent();
  }
}
