package dev.steward.review7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.jdbc.JdbcJourneyStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.journey.Condition;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.InMemoryJourneyStore;
import dev.steward.journey.InvalidJourneyException;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyKit;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.JourneyStore;
import dev.steward.journey.Step;
import dev.steward.journey.TaskOutcome;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.testing.SettableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile review of dev.steward.journey on real PostgreSQL: memory and JDBC must agree. */
class JourneyHostilePostgresTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static EmbeddedPostgres pg;
  private static DataSource ds;

  @BeforeAll
  static void start() throws IOException {
    pg = EmbeddedPostgres.builder().start();
    ds = pg.getPostgresDatabase();
    StewardSchema.bootstrap(ds);
  }

  @AfterAll
  static void stop() throws IOException {
    pg.close();
  }

  private static Step send(String id, String next) {
    return Step.Send.of(id, "tpl-" + id, MessageKind.EDUCATIONAL, "onboarding", next);
  }

  /**
   * DEFECT: condition values are not checked for NUL (attribute values are), and a branch records
   * the case it took as "case 1 (plan = 'a<NUL>b')" in the history. PostgreSQL refuses NUL in text,
   * so on the JDBC store every advance past that branch fails and the enrolment never leaves it,
   * while the memory store (and H2) go on: the stores disagree. A condition value with NUL can
   * never equal an attribute anyway. Correct: Condition refuses NUL and half surrogate pairs (like
   * ContactProfile.checkAttribute), naming the attribute, when the definition is built/read.
   */
  @Test
  void aBranchOnAConditionWithNulRunsOnPostgresAsInMemory() {
    JourneyDefinition d;
    try {
      d =
          JourneyDefinition.builder("nul", 1)
              .step(
                  new Step.Branch(
                      "which",
                      List.of(
                          new Step.Case(Condition.not(Condition.eq("plan", "a\u0000b")), "gold")),
                      Optional.of("other")))
              .step(send("gold", null))
              .step(send("other", null))
              .build();
    } catch (InvalidJourneyException refused) {
      return; // refused up front: correct
    }
    JourneyDefinition def = d;
    assertCompletesWithOneSend(InMemoryJourneyStore.of(), def, "memory");
    assertCompletesWithOneSend(JdbcJourneyStore.of(ds), def, "postgres");
  }

  /**
   * DEFECT: an exit criterion's name may hold a NUL (only blankness is checked); it becomes the
   * exit reason, which PostgreSQL cannot store, so a contact who met the criterion is never taken
   * out on PostgreSQL (the advance fails on every retry) while the memory store exits it. Correct:
   * refuse control characters in the name when the definition is built/read.
   */
  @Test
  void anExitCriterionNameWithNulExitsOnPostgresAsInMemory() {
    JourneyDefinition d;
    try {
      d =
          JourneyDefinition.builder("nulexit", 1)
              .exitWhen("churned\u0000", Condition.exists("churned"))
              .step(send("a", null))
              .build();
    } catch (InvalidJourneyException refused) {
      return; // refused up front: correct
    }
    JourneyDefinition def = d;
    for (JourneyStore store : List.of(InMemoryJourneyStore.of(), JdbcJourneyStore.of(ds))) {
      JourneyKit kit = new JourneyKit(SettableClock.of(START), store, null, b -> b.journey(def));
      ContactId c =
          kit.contact("exit-" + store.getClass().getSimpleName(), BERLIN, Map.of("churned", "y"));
      kit.enrol(c, "nulexit");
      kit.runUntil(START.plus(Duration.ofHours(2)), Duration.ofMinutes(10));
      assertThat(kit.only(c).state())
          .as("%s: %s", store.getClass().getSimpleName(), work(kit, c))
          .isEqualTo(EnrolmentState.EXITED);
    }
  }

  private static void assertCompletesWithOneSend(
      JourneyStore store, JourneyDefinition d, String what) {
    JourneyKit kit = new JourneyKit(SettableClock.of(START), store, null, b -> b.journey(d));
    ContactId c = kit.contact("c-" + what, BERLIN, Map.of("plan", "gold"));
    kit.enrol(c, d.id());
    kit.runUntil(START.plus(Duration.ofHours(2)), Duration.ofMinutes(10));
    assertThat(kit.only(c).state())
        .as("%s: %s", what, work(kit, c))
        .isEqualTo(EnrolmentState.COMPLETED);
    assertThat(kit.sentTo(c)).hasSize(1);
  }

  private static List<String> work(JourneyKit kit, ContactId c) {
    return kit.work.findBySubject(JourneyKit.TENANT, c.value(), JourneyScheduler.STEP_KIND).stream()
        .map(w -> w.state() + " " + w.lastError())
        .toList();
  }

  /**
   * DEFECT: completeTask checks only that a dismissal has a reason; the note is not checked for NUL
   * and goes into the history detail. The memory store records it; on PostgreSQL the advance fails
   * with a JdbcStoreException ("invalid byte sequence for encoding UTF8: 0x00") instead of an
   * InvalidJourneyException naming the note, and the task stays open. Correct: refuse a note with
   * NUL or half a surrogate pair with InvalidJourneyException before anything is written, on every
   * store alike.
   */
  @Test
  void aTaskNoteWithNulIsRefusedAlikeOnEveryStore() {
    JourneyDefinition d =
        JourneyDefinition.builder("task", 1)
            .step(
                new Step.HumanTask(
                    "check-in",
                    "csm-check-in",
                    Optional.empty(),
                    null,
                    Duration.ofDays(2),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()))
            .build();
    for (JourneyStore store : List.of(InMemoryJourneyStore.of(), JdbcJourneyStore.of(ds))) {
      JourneyKit kit = new JourneyKit(SettableClock.of(START), store, null, b -> b.journey(d));
      ContactId c =
          kit.contact("task-" + store.getClass().getSimpleName(), BERLIN, Map.of("csm", "kim"));
      kit.enrol(c, "task");
      kit.driver.runDue();
      String taskId = kit.scheduler.openTasks(JourneyKit.TENANT, c).get(0).id();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  kit.scheduler.completeTask(
                      JourneyKit.TENANT, taskId, TaskOutcome.DISMISSED, "not now\u0000"))
          .as(store.getClass().getSimpleName())
          .isInstanceOf(InvalidJourneyException.class)
          .hasMessageContaining("note");
    }
  }
}
