package dev.steward.review7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.jdbc.JdbcJourneyStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.journey.Condition;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.ExitCriterion;
import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.Step;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.testing.SettableClock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Hostile review of dev.steward.journey: each test fails on the current code because of a defect.
 */
class JourneyHostileTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  /**
   * DEFECT: a valid journey of more than 200 consecutive steps that do not wait (validation accepts
   * it: there is no cycle) can never run. JourneyScheduler.handle gives up after MAX_STEPS_PER_RUN
   * (200) steps with Next.fail, so the work item fails for good and the enrolment stays ACTIVE at
   * step 201 forever (counting against the contact's journey limit), the remaining sends lost.
   * Correct: after the per-run budget, reschedule the item (due now) and go on in the next run, or
   * refuse the definition at validation, naming the step; a valid definition must run to the end.
   */
  @Test
  void aLongValidChainOfSendsRunsToTheEnd() {
    int n = 250;
    JourneyDefinition.Builder b = JourneyDefinition.builder("long", 1);
    for (int i = 0; i < n; i++) {
      b.step(send("s" + i, i + 1 < n ? "s" + (i + 1) : null));
    }
    JourneyDefinition d = b.build(); // valid: no cycle, every step reachable
    JourneyKit kit = new JourneyKit(START, x -> x.journey(d));
    ContactId c = kit.contact("ann", BERLIN, Map.of());
    kit.enrol(c, "long");

    kit.runUntil(START.plus(Duration.ofDays(2)), Duration.ofMinutes(10));

    assertThat(kit.sentTo(c)).hasSize(n);
    assertThat(kit.only(c).state()).isEqualTo(EnrolmentState.COMPLETED);
  }

  /**
   * DEFECT: an update-attribute step's value is not validated with the definition. A value the
   * store refuses (longer than ContactProfile.MAX_ATTRIBUTE, or with a NUL) passes the builder and
   * JSON, and fails only when an enrolment reaches the step: the store throws, the work item
   * retries and dies, and the enrolment is stuck. Correct: the definition is refused when
   * built/read, with a message naming the step, before anything is written or any contact enrolled.
   */
  @Test
  void anUpdateValueTheStoreRefusesIsRefusedWithTheDefinition() {
    String tooLong = "x".repeat(1001);
    assertThatThrownBy(
            () ->
                JourneyDefinition.builder("upd", 1)
                    .step(
                        new Step.UpdateAttribute(
                            "set", "stage", Optional.of(tooLong), Optional.empty()))
                    .build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("set");
    assertThatThrownBy(
            () ->
                JourneyDefinition.builder("upd", 1)
                    .step(
                        new Step.UpdateAttribute(
                            "set", "stage", Optional.of("a\u0000b"), Optional.empty()))
                    .build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("set");
  }

  /**
   * DEFECT: an exit criterion's name is not bounded, yet it becomes the enrolment's exit reason
   * ("exit criterion '<name>'"), which JdbcJourneyStore writes into exit_reason VARCHAR(1000). The
   * memory store keeps it; on H2/PostgreSQL the advance fails with a SQL error on every retry, so
   * the contact who met the exit criterion (churned, unsubscribed) is never taken out, while the
   * memory store exits it: the stores disagree. Correct: bound the name when the definition is
   * built (naming it), or cut the reason as HistoryEntry cuts its detail.
   */
  @Test
  void aLongExitCriterionNameExitsOnTheJdbcStoreToo() {
    JourneyDefinition d =
        JourneyDefinition.builder("exits", 1)
            .exitWhen("y".repeat(ExitCriterion.MAX_NAME), Condition.exists("churned"))
            .step(send("a", null))
            .build();
    // the memory store exits the contact ...
    assertExits(new JourneyKit(START, x -> x.journey(d)));
    // ... the JDBC store must too
    assertExits(
        new JourneyKit(
            SettableClock.of(START), JdbcJourneyStore.of(h2("exitname")), null, x -> x.journey(d)));
  }

  private static void assertExits(JourneyKit kit) {
    ContactId c = kit.contact("ann", BERLIN, Map.of("churned", "yes"));
    kit.enrol(c, "exits");

    kit.runUntil(START.plus(Duration.ofHours(6)), Duration.ofMinutes(10));

    Enrolment e = kit.only(c);
    assertThat(e.state())
        .as(
            "%s; its work: %s",
            kit.store.getClass().getSimpleName(),
            kit.work.findBySubject(JourneyKit.TENANT, "ann", JourneyScheduler.STEP_KIND).stream()
                .map(w -> w.state() + " " + w.lastError())
                .toList())
        .isEqualTo(EnrolmentState.EXITED);
    assertThat(kit.sentTo(c)).isEmpty();
  }

  /**
   * DEFECT: a wait until 09:00 on Fridays, for a contact in Pacific/Apia, which skipped Friday
   * 2011-12-30 entirely, lands on Saturday 2011-12-31 09:00: nextLocalTime resolves the skipped day
   * with ZonedDateTime.of, which shifts by the gap (24 hours) into another weekday. The step
   * promises its chosen weekdays. Correct: a day that does not exist locally is skipped and the
   * next Friday (2012-01-06 09:00 local) is taken.
   */
  @Test
  void aSkippedLocalDayDoesNotMoveTheSendToAnotherWeekday() {
    ZoneId apia = ZoneId.of("Pacific/Apia");
    JourneyDefinition d =
        JourneyDefinition.builder("fri", 1)
            .step(
                new Step.WaitUntilLocalTime(
                    "friday", LocalTime.of(9, 0), EnumSet.of(DayOfWeek.FRIDAY), Optional.of("a")))
            .step(send("a", null))
            .build();
    // Thursday 2011-12-29 12:00 in Apia (UTC-10 then)
    Instant start = Instant.parse("2011-12-29T22:00:00Z");
    JourneyKit kit = new JourneyKit(start, x -> x.journey(d));
    ContactId c = kit.contact("sam", apia, Map.of());
    kit.enrol(c, "fri");

    kit.runUntil(start.plus(Duration.ofDays(10)), Duration.ofMinutes(30));

    assertThat(kit.sentTo(c)).hasSize(1);
    var sentLocal = kit.sentTo(c).get(0).createdAt().atZone(apia);
    assertThat(sentLocal.getDayOfWeek()).isEqualTo(DayOfWeek.FRIDAY);
    assertThat(sentLocal.toLocalDate()).hasToString("2012-01-06");
  }

  /**
   * DEFECT: validation walks the graph recursively (cycleFrom), one Java frame per non-waiting
   * step, so a long but valid chain of steps overflows the stack: the builder throws
   * StackOverflowError instead of either accepting the definition or refusing it with an
   * InvalidJourneyException naming what is wrong. Correct: an iterative walk (or a documented,
   * checked maximum number of steps refused with a clear message).
   */
  @Test
  void aVeryLongChainIsValidatedWithoutOverflowingTheStack() {
    int n = 5_000; // already overflows the default thread stack
    JourneyDefinition.Builder b = JourneyDefinition.builder("huge", 1);
    for (int i = 0; i < n; i++) {
      b.step(
          new Step.UpdateAttribute(
              "u" + i,
              "k",
              Optional.of("v"),
              Optional.ofNullable(i + 1 < n ? "u" + (i + 1) : null)));
    }
    Throwable t = null;
    try {
      b.build();
    } catch (InvalidJourneyException refused) {
      t = null; // a clear refusal is acceptable
    } catch (StackOverflowError overflow) {
      t = overflow;
    }
    assertThat(t).as("validation overflowed the stack").isNull();
  }

  static javax.sql.DataSource h2(String name) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review7-" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
    StewardSchema.bootstrap(ds);
    return ds;
  }

  /** A name too long to store as the exit reason is refused when the definition is built. */
  @Test
  void anExitCriterionNameTooLongToStoreIsRefusedWithTheDefinition() {
    assertThatThrownBy(
            () ->
                JourneyDefinition.builder("exits", 1)
                    .exitWhen("churned " + "y".repeat(1100), Condition.exists("churned"))
                    .step(send("a", null))
                    .build())
        .isInstanceOf(InvalidJourneyException.class)
        .hasMessageContaining("exit criterion name is 1108 characters");
  }
}
