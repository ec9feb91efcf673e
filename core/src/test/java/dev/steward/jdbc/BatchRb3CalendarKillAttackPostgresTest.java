package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile review (rb3): an instance killed (its connections closed) at each calendar statement of a
 * batch's units on PostgreSQL, after its messages went out: the dispatcher's kept replacements of
 * SCHEDULED entries, the batch's set-based SENT records, the plan of the next send written in the
 * unit, and the kept cancels of the plans at the last send. Another instance takes over after the
 * lease: every message left once, every step is stored once, every calendar entry ends as a run
 * alone leaves it, and every send is counted once.
 */
class BatchRb3CalendarKillAttackPostgresTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final int N = 40;

  @ParameterizedTest(name = "killed in turn {0} at statement {2} starting {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1|UPDATE steward_calendar_entry SET entry_type = CASE|1", // dispatcher's replacements
        "1|INSERT INTO steward_calendar_entry|1", // the batch's SENT records
        "1|INSERT INTO steward_calendar_entry|2", // the plan of s1, in the unit
        "2|UPDATE steward_calendar_entry SET entry_type = CASE|1",
        "2|INSERT INTO steward_calendar_entry|1",
        "2|UPDATE steward_calendar_entry SET status = 'CANCELLED'|1" // the plans' kept cancels
      })
  void anInstanceKilledAtACalendarStatementIsTakenOverWithEachStepAndSendOnce(
      int phase, String statement, int occurrence) {
    DB.clear();
    CadenceStewards world = new CadenceStewards();
    KillableDataSource victimConnections = new KillableDataSource(DB.dataSource());
    HookedDataSource hooked = new HookedDataSource(victimConnections);
    Steward victim = world.instance(hooked, "victim", 200);
    Steward survivor = world.instance(DB.dataSource(), "survivor", 200);
    List<String> ids = CadenceStewards.enrol(survivor, N);
    if (phase == 2) {
      survivor.runDue();
      assertThat(world.left).hasSize(N);
      world.clock.set(world.clock.instant().plus(Duration.ofDays(1)).plusSeconds(1));
    }
    AtomicInteger seen = new AtomicInteger();
    AtomicInteger killed = new AtomicInteger();
    Runnable[] hook = new Runnable[1];
    hook[0] =
        () -> {
          if (seen.incrementAndGet() < occurrence) {
            hooked.before(statement, hook[0]); // not this one yet: wait for the next
          } else {
            killed.incrementAndGet();
            victimConnections.kill();
          }
        };
    hooked.before(statement, hook[0]);

    try {
      victim.runDue();
    } catch (RuntimeException e) {
      // a dead instance's runner may fail however it fails: what counts is what it left
    }
    assertThat(killed).as("killed at %s #%s", statement, occurrence).hasValue(1);

    TestDatabase.passRealTime(CadenceStewards.LEASE);
    drain(survivor);
    if (phase == 1) {
      world.clock.set(world.clock.instant().plus(Duration.ofDays(1)).plusSeconds(1));
      drain(survivor);
    }

    // killed in the dispatcher's unit, a send group's outcomes are lost with it: UNKNOWN
    world.assertEveryRunSentBothOnce(
        survivor, DB.dataSource(), ids, statement.contains("entry_type = CASE"));
  }

  /**
   * The commit of a unit is made but its acknowledgement lost, on the unit that holds {@code
   * statement}: the batch's (its compare-and-set of the enrolments, with its SENT records, plans
   * and kept cancels) or the dispatcher's (its outcomes and kept replacements). Its rerun finds
   * each write applied: every message left once, every step is stored once, every entry ends as
   * alone.
   */
  @ParameterizedTest(name = "commit lost in turn {0} of the unit holding {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1|UPDATE steward_journey_enrolment e ",
        "1|UPDATE steward_calendar_entry SET entry_type = CASE",
        "2|UPDATE steward_journey_enrolment e ",
        "2|UPDATE steward_calendar_entry SET entry_type = CASE"
      })
  void aUnitWhoseCommitAcknowledgementIsLostLeavesEachStepSendAndEntryAsAlone(
      int phase, String statement) {
    DB.clear();
    CadenceStewards world = new CadenceStewards();
    FlakyDataSource losing = new FlakyDataSource(DB.dataSource());
    HookedDataSource hooked = new HookedDataSource(losing);
    Steward steward = world.instance(hooked, "only", 200);
    List<String> ids = CadenceStewards.enrol(steward, N);
    if (phase == 2) {
      drain(steward);
      world.clock.set(world.clock.instant().plus(Duration.ofDays(1)).plusSeconds(1));
    }
    hooked.before(statement, () -> losing.commitAcknowledgement().fail(1, "08006"));

    drain(steward);
    assertThat(losing.commitAcknowledgement().failed())
        .as("a commit was reported lost")
        .isEqualTo(1);
    if (phase == 1) {
      world.clock.set(world.clock.instant().plus(Duration.ofDays(1)).plusSeconds(1));
      drain(steward);
    }

    world.assertEveryRunSentBothOnce(steward, DB.dataSource(), ids, false);
  }

  private static void drain(Steward s) {
    while (s.runDue() > 0) {
      // until none is due
    }
  }
}
