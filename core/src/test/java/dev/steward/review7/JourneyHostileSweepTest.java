package dev.steward.review7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Dispatcher;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.JourneyStore;
import dev.steward.journey.Step;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkState;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hostile review of dev.steward.journey: the sweep that rescues enrolments without work. */
class JourneyHostileSweepTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  private static void put(JourneyStore store, String id) {
    store.putContact(
        new ContactProfile(
            JourneyKit.TENANT,
            ContactId.of(id),
            AccountId.of("acct"),
            Optional.of(EmailAddress.of(id + "@example.com")),
            Optional.of(BERLIN),
            Map.of()));
  }

  /** The wiring of one application instance with the sweep registered. */
  private static final class Instance {
    final RecordingTransport transport = RecordingTransport.of();
    final JourneyScheduler journeys;
    final ManualWorkDriver driver;

    Instance(
        SettableClock clock,
        JourneyStore store,
        JourneyHostileCrashTest.FlakyWorkStore work,
        JourneyDefinition... defs) {
      Dispatcher dispatcher = Dispatcher.builder(transport, clock).workStore(work).build();
      JourneyScheduler.Builder b =
          JourneyScheduler.builder(clock, store, work).dispatcher(dispatcher);
      for (JourneyDefinition d : defs) {
        b.journey(d);
      }
      journeys = b.build();
      WorkRunner runner =
          journeys
              .registerWithSweep(dispatcher.registerWith(WorkRunner.builder(work, clock)))
              .build();
      driver = ManualWorkDriver.of(runner, clock);
    }
  }

  /**
   * DEFECT: the sweep looks only at the oldest Recurring batch (1000) of overdue unfinished
   * enrolments, and reports "nothing left" when it created fewer items than it looked at. Overdue
   * enrolments whose work item exists but will never run (DEAD: here enrolments of a version no
   * longer registered after a deploy, which fail at once) sort first forever, so an enrolment that
   * really lost its item (work store failed after the enrolment was written) behind them is never
   * rescued: its journey never starts. Correct: the sweep pages past enrolments that have an item
   * (keyset on due_at/id), or selects only enrolments without a live item.
   */
  @Test
  void theSweepIsNotStarvedByOverdueEnrolmentsThatHaveDeadItems() {
    SettableClock clock = SettableClock.of(START);
    JourneyStore store = InMemoryJourneyStore.of();
    JourneyHostileCrashTest.FlakyWorkStore work =
        new JourneyHostileCrashTest.FlakyWorkStore(InMemoryWorkStore.of(clock));
    JourneyDefinition v1 = JourneyDefinition.builder("j", 1).step(send("a", null)).build();
    JourneyDefinition v2 = JourneyDefinition.builder("j", 2).step(send("b", null)).build();
    JourneyDefinition other = JourneyDefinition.builder("k", 1).step(send("c", null)).build();

    // yesterday's deploy enrolled 1000 contacts in v1; nothing ran them before the new deploy
    JourneyScheduler old =
        JourneyScheduler.builder(clock, store, work)
            .sender(
                m -> {
                  throw new AssertionError("not run");
                })
            .journey(v1)
            .build();
    for (int i = 0; i < 1000; i++) {
      put(store, "old-" + i);
      assertThat(old.enrol(JourneyKit.TENANT, ContactId.of("old-" + i), "j").enrolled()).isTrue();
    }
    clock.advance(Duration.ofMinutes(1));
    // today's deploy knows v2 only (and k); the work store blips while one contact enrols in k
    Instance now = new Instance(clock, store, work, v2, other);
    put(store, "late");
    work.failNextSchedule.set(true);
    assertThatThrownBy(() -> now.journeys.enrol(JourneyKit.TENANT, ContactId.of("late"), "k"))
        .isInstanceOf(IllegalStateException.class);

    now.driver.runDue();
    for (int h = 0; h < 6; h++) {
      now.driver.advance(Duration.ofHours(1));
    }

    // the 1000 enrolments of the dropped version exit as withdrawn rather than dying ACTIVE
    assertThat(work.count(WorkState.DEAD)).isZero();
    assertThat(store.enrolments(JourneyKit.TENANT, ContactId.of("old-999")))
        .singleElement()
        .satisfies(e -> assertThat(e.exitReason().orElseThrow()).contains("withdrawn"));
    assertThat(now.transport.sent())
        .as("the stranded enrolment %s", store.enrolments(JourneyKit.TENANT, ContactId.of("late")))
        .hasSize(1);
  }

  /**
   * DEFECT: an enrolment of a journey version that the running scheduler does not register (a
   * deploy that ships v2 and drops v1) is failed DEAD and left ACTIVE for ever: the contact can
   * never re-enter the journey (ALREADY_ACTIVE) and the dead enrolment counts against the limit of
   * journeys at once. Correct: refuse to build a scheduler missing a version that has unfinished
   * enrolments, or exit such enrolments with a recorded reason (or keep retrying), never leave them
   * ACTIVE with no work.
   */
  @Test
  void anEnrolmentOfADroppedVersionDoesNotBlockTheContactForever() {
    SettableClock clock = SettableClock.of(START);
    JourneyStore store = InMemoryJourneyStore.of();
    JourneyHostileCrashTest.FlakyWorkStore work =
        new JourneyHostileCrashTest.FlakyWorkStore(InMemoryWorkStore.of(clock));
    JourneyDefinition v1 =
        JourneyDefinition.builder("j", 1)
            .reEntry(dev.steward.journey.ReEntry.always())
            .step(send("a", null))
            .build();
    JourneyDefinition v2 =
        JourneyDefinition.builder("j", 2)
            .reEntry(dev.steward.journey.ReEntry.always())
            .step(send("b", null))
            .build();
    JourneyScheduler old =
        JourneyScheduler.builder(clock, store, work)
            .sender(
                m -> {
                  throw new AssertionError("not run");
                })
            .journey(v1)
            .build();
    put(store, "ann");
    old.enrol(JourneyKit.TENANT, ContactId.of("ann"), "j");

    Instance now = new Instance(clock, store, work, v2);
    now.driver.runDue();
    for (int h = 0; h < 3; h++) {
      now.driver.advance(Duration.ofHours(1));
    }
    EnrolResult again = now.journeys.enrol(JourneyKit.TENANT, ContactId.of("ann"), "j");
    assertThat(again.status())
        .as("%s / %s", again.reason(), store.enrolments(JourneyKit.TENANT, ContactId.of("ann")))
        .isEqualTo(EnrolResult.Status.ENROLLED);
  }
}
