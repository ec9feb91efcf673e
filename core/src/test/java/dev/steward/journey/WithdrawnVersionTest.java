package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.schedule.WorkKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An enrolment whose journey version the running scheduler does not register: withdrawn versions
 * exit with a reason; a version this instance may merely not know yet (a rolling deploy) is left to
 * an instance that knows it, for a grace period.
 */
class WithdrawnVersionTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

  private final Logger logger = (Logger) LoggerFactory.getLogger(JourneyScheduler.class);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void capture() {
    logs.start();
    logger.addAppender(logs);
    logger.setLevel(Level.DEBUG); // the tests' configuration turns logging off
    logger.setAdditive(false);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logs);
    logger.setLevel(null);
    logger.setAdditive(true);
  }

  private static JourneyDefinition journey(String id, int version, String template) {
    return JourneyDefinition.builder(id, version)
        .step(Step.Send.of("s", template, MessageKind.EDUCATIONAL, "onboarding", null))
        .build();
  }

  @Test
  void anOlderInstanceLeavesANewerVersionToTheInstancesThatKnowIt() {
    JourneyKit older = new JourneyKit(START, b -> b.journey(journey("j", 1, "tpl-v1")));
    JourneyKit newer =
        new JourneyKit(
            older.clock, older.store, older.work, b -> b.journey(journey("j", 2, "tpl-v2")));
    ContactId c = older.contact("ann", BERLIN, Map.of());
    assertThat(newer.enrol(c, "j").enrolled()).isTrue();

    // the older instance claims it first: it neither fails it nor exits it, and tries later
    older.driver.runDue();
    Enrolment e = older.only(c);
    assertThat(e.state()).isEqualTo(EnrolmentState.ACTIVE);
    assertThat(older.work.find(WorkKey.of(TENANT, JourneyScheduler.STEP_KIND, e.id())))
        .hasValueSatisfying(
            w ->
                assertThat(w.dueAt())
                    .isEqualTo(START.plus(JourneyScheduler.UNKNOWN_VERSION_RECHECK)));
    assertThat(older.sends()).isEmpty();

    newer.driver.advance(JourneyScheduler.UNKNOWN_VERSION_RECHECK);
    assertThat(newer.sends()).containsExactly("ann tpl-v2 2026-03-02T09:15:00Z");
    assertThat(newer.only(c).state()).isEqualTo(EnrolmentState.COMPLETED);
    assertThat(logs.list).noneMatch(l -> l.getLevel() == Level.WARN);
  }

  @Test
  void aJourneyNoInstanceRegistersAnyMoreExitsAfterTheGraceWithAWarning() {
    JourneyKit before = new JourneyKit(START, b -> b.journey(journey("gone", 1, "tpl-gone")));
    ContactId c = before.contact("ann", BERLIN, Map.of());
    before.enrol(c, "gone");
    JourneyKit after =
        new JourneyKit(
            before.clock, before.store, before.work, b -> b.journey(journey("kept", 1, "tpl-k")));

    after.runUntil(
        START.plus(JourneyScheduler.UNKNOWN_VERSION_GRACE).minus(Duration.ofMinutes(1)),
        Duration.ofMinutes(15));
    assertThat(after.only(c).state()).isEqualTo(EnrolmentState.ACTIVE);

    after.runUntil(START.plus(JourneyScheduler.UNKNOWN_VERSION_GRACE), Duration.ofMinutes(15));
    Enrolment e = after.only(c);
    assertThat(e.state()).isEqualTo(EnrolmentState.EXITED);
    assertThat(e.exitReason())
        .contains(
            "journey 'gone' version 1 was withdrawn (still unknown 24 hours after the enrolment"
                + " was due)");
    assertThat(after.outcomes(e)).containsExactly(StepOutcome.ENTERED, StepOutcome.EXITED);
    assertThat(after.work.dead(10)).isEmpty();
    assertThat(after.sends()).isEmpty();
    assertThat(logs.list)
        .filteredOn(l -> l.getLevel() == Level.WARN)
        .singleElement()
        .satisfies(
            l ->
                assertThat(l.getFormattedMessage())
                    .contains(e.id())
                    .contains("version 1 was withdrawn")
                    .doesNotContain("@"));
    // the contact is free to enter other journeys up to the limit again
    assertThat(after.enrol(c, "kept").enrolled()).isTrue();
  }
}
