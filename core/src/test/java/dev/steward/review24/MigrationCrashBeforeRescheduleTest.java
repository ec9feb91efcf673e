package dev.steward.review24;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.JourneyMigration;
import dev.steward.journey.JourneyStore;
import dev.steward.journey.MigrationReport;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Suspicion (g) of the journey review: a migration that crashes between the enrolment's
 * compare-and-set and the reschedule of its work item. The enrolment is on the new version and due
 * now, its item still at the old due time (a 30-day wait the new version dropped); the migration
 * run again finds it "already on version 2" and leaves the item alone, so the new step waits the
 * whole old wait.
 */
class MigrationCrashBeforeRescheduleTest {
  private static final JourneyDefinition V1 =
      JourneyDefinition.builder("hello", 1)
          .step(Step.Send.of("a", "tpl-a", MessageKind.EDUCATIONAL, "onboarding", "pause"))
          .step(new Step.Wait("pause", Duration.ofDays(30), Optional.of("b")))
          .step(Step.Send.of("b", "tpl-b", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();
  private static final JourneyDefinition V2 =
      JourneyDefinition.builder("hello", 2)
          .step(Step.Send.of("a", "tpl-a", MessageKind.EDUCATIONAL, "onboarding", "b"))
          .step(Step.Send.of("b", "tpl-b", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  @Test
  void theMigrationRunAgainBringsTheWorkItemToTheEnrolmentsNewDueTime() {
    SettableClock clock = SettableClock.of(World24.T0);
    JourneyStore store = InMemoryJourneyStore.of();
    FlakyStepWorkStore work = new FlakyStepWorkStore(InMemoryWorkStore.of(clock));
    JourneyKit old = new JourneyKit(clock, store, work, b -> b.journey(V1));
    ContactId ann = old.contact("ann", ZoneOffset.UTC, Map.of());
    old.enrol(ann, "hello");
    old.driver.runDue();
    assertThat(old.transport.sent()).hasSize(1); // a; now waiting 30 days before b

    // the new deploy: both versions known, the enrolments moved to 2
    JourneyKit next = new JourneyKit(clock, store, work, b -> b.journey(V1).journey(V2));
    JourneyMigration m =
        JourneyMigration.builder("hello", 1, 2)
            .map("a", "a")
            .map("pause", "b")
            .map("b", "b")
            .build();
    work.failNextSchedule.set(true);
    assertThatThrownBy(() -> next.scheduler.migrate(JourneyKit.TENANT, m))
        .hasMessageContaining("work store unreachable");
    assertThat(next.only(ann).version()).isEqualTo(2); // the compare-and-set went through
    MigrationReport again = next.scheduler.migrate(JourneyKit.TENANT, m); // the caller retries
    assertThat(again.moved()).isEmpty();

    // an hour and a half, every minute
    next.runUntil(clock.instant().plus(Duration.ofMinutes(90)), Duration.ofMinutes(1));
    assertThat(next.transport.sent()).hasSize(1); // b, due at once on version 2
  }
}
