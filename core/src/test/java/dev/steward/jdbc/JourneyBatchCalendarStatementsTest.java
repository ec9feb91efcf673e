package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.calendar.CalendarEntry;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Step;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A batch of journey steps on PostgreSQL writes the calendar a constant number of statements
 * (pgstep): the SENT records of the messages its first steps sent are one set-based write in the
 * batch's unit, and the dispatcher's calendar listener reads no entry per send (its guarded writes
 * are kept in the dispatcher's unit); each sent message's entry stands SENT as alone. Its reads too
 * are paid per group, not per step: analytics' marks and the contacts' preferences.
 */
class JourneyBatchCalendarStatementsTest {
  private static final TenantId T = TenantId.of("calstmts");
  private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

  private static final JourneyDefinition ONE =
      JourneyDefinition.builder("one", 1)
          .reEntry(ReEntry.always())
          .step(Step.Send.of("s0", "tpl-0", MessageKind.EDUCATIONAL, "news", null))
          .build();

  /** A Steward over PostgreSQL with {@code steps} contacts enrolled in {@code journey}, all due. */
  private record Enrolled(
      TestDatabase db,
      StatementCountingDataSource ds,
      RecordingTransport transport,
      Steward steward,
      JourneyScheduler journeys,
      List<String> enrolments) {

    /** Enrols the contacts; {@code batch} null leaves the registration's default. */
    static Enrolled of(JourneyDefinition journey, int steps, Boolean batch) {
      TestDatabase db = TestDatabase.postgres();
      db.clear();
      StatementCountingDataSource ds = new StatementCountingDataSource(db.dataSource());
      RecordingTransport transport = RecordingTransport.of();
      Steward steward =
          Steward.builder(SettableClock.of(T0))
              .stores(JdbcStores.of(ds))
              .transport(transport)
              .capPolicy(
                  CapPolicy.builder()
                      .cap(Cap.perContact(1000, Window.rolling(Duration.ofDays(7))))
                      .build())
              .runner(r -> r.batchSize(100))
              .journeys(
                  j -> {
                    j.journey(journey).defaultZone(ZoneOffset.UTC);
                    if (batch != null) {
                      j.batchSteps(batch);
                    }
                  })
              .build();
      JourneyScheduler journeys = steward.journeys().orElseThrow();
      List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < steps; i++) {
        ContactId c = ContactId.of("c" + i);
        journeys.putContact(
            new ContactProfile(
                T,
                c,
                AccountId.of("a" + (i % 7)),
                Optional.of(EmailAddress.of("c" + i + "@example.com")),
                Optional.of(ZoneOffset.UTC),
                Map.of()));
        ids.add(journeys.enrol(T, c, journey.id()).enrolment().orElseThrow().id());
      }
      ds.reset();
      return new Enrolled(db, ds, transport, steward, journeys, ids);
    }
  }

  /** The statements of one runDue over {@code steps} due one-send steps that touch the calendar. */
  private static List<String> calendarStatementsOfOneRun(int steps, boolean batch) {
    Enrolled run = Enrolled.of(ONE, steps, batch);
    TestDatabase db = run.db();
    RecordingTransport transport = run.transport();
    run.steward().runDue();
    StatementCountingDataSource ds = run.ds();
    List<String> touching =
        ds.statements.stream().filter(s -> s.contains("steward_calendar_entry")).toList();

    assertThat(transport.sent()).hasSize(steps);
    JdbcCalendarStore calendar = JdbcCalendarStore.of(db.dataSource());
    for (Message m : transport.sent()) {
      CalendarEntry e = calendar.find(T, m.id().value()).orElseThrow();
      assertThat(e)
          .isEqualTo(
              CalendarEntry.of(
                  T,
                  m.id().value(),
                  CalendarEntry.Type.COMMUNICATION,
                  CalendarEntry.Status.SENT,
                  m.account(),
                  m.contact(),
                  m.source().team(),
                  m.kind(),
                  m.category(),
                  m.channel(),
                  null,
                  T0));
      // the enrolment's upcoming-send entry was cancelled with its change
      String planned = "journey:" + m.idempotencyKey().split(":")[1];
      assertThat(calendar.find(T, planned).orElseThrow().status())
          .as(planned)
          .isEqualTo(CalendarEntry.Status.CANCELLED);
    }
    return touching;
  }

  @Test
  void tenOrAHundredStepsInABatchWriteTheCalendarTheSameFewStatements() {
    List<String> ten = calendarStatementsOfOneRun(10, true);
    List<String> hundred = calendarStatementsOfOneRun(100, true);

    // the records: one INSERT; the listener: no read of an entry, at most one UPDATE per group
    // of sends the dispatcher records together (16), one cancel of the plans
    assertThat(hundred).noneMatch(s -> s.startsWith("SELECT"));
    assertThat(hundred.stream().filter(s -> s.startsWith("INSERT"))).hasSize(1);
    assertThat(hundred.size()).isLessThanOrEqualTo(1 + 1 + (100 + 15) / 16);
    assertThat(ten).noneMatch(s -> s.startsWith("SELECT"));
    assertThat(ten.stream().filter(s -> s.startsWith("INSERT"))).hasSize(1);
  }

  /** A send, a day's wait, a send: a run stores two changes (the send's, the wait's). */
  private static final JourneyDefinition CADENCE =
      JourneyDefinition.builder("cadence", 1)
          .reEntry(ReEntry.always())
          .step(Step.Send.of("s0", "tpl-0", MessageKind.EDUCATIONAL, "news", "w0"))
          .step(new Step.Wait("w0", Duration.ofDays(1), Optional.of("s1")))
          .step(Step.Send.of("s1", "tpl-1", MessageKind.EDUCATIONAL, "news", null))
          .build();

  /** The statements of one runDue over {@code steps} cadence runs; each run's end checked. */
  private static List<String> cadenceStatementsOfOneRun(int steps) {
    Enrolled run = Enrolled.of(CADENCE, steps, null);
    TestDatabase db = run.db();
    RecordingTransport transport = run.transport();
    JourneyScheduler journeys = run.journeys();
    List<String> ids = run.enrolments();
    run.steward().runDue();
    StatementCountingDataSource ds = run.ds();
    List<String> statements = List.copyOf(ds.statements);

    assertThat(transport.sent()).hasSize(steps);
    JdbcCalendarStore calendar = JdbcCalendarStore.of(db.dataSource());
    for (String id : ids) {
      dev.steward.journey.Enrolment e = journeys.enrolment(T, id).orElseThrow();
      assertThat(e.step()).isEqualTo("s1");
      assertThat(e.seq()).isEqualTo(2);
      assertThat(e.dueAt()).isEqualTo(T0.plus(Duration.ofDays(1)));
      assertThat(journeys.history(T, id))
          .extracting(h -> h.outcome().name())
          .endsWith("SENT", "WAITING")
          .doesNotHaveDuplicates();
      CalendarEntry planned = calendar.find(T, "journey:" + id).orElseThrow();
      assertThat(planned.status()).isEqualTo(CalendarEntry.Status.SCHEDULED);
      assertThat(planned.at()).isEqualTo(T0.plus(Duration.ofDays(1)));
      assertThat(planned.campaign()).contains("cadence/s1");
    }
    return statements;
  }

  @Test
  void aSendThenAWaitStoresBothChangesOfTenOrAHundredRunsSetBasedAndReadsNoEnrolmentBack() {
    for (int steps : new int[] {10, 100}) {
      List<String> all = cadenceStatementsOfOneRun(steps);
      // two turns, each one compare-and-set UPDATE and one history INSERT for all runs
      assertThat(all.stream().filter(s -> s.startsWith("UPDATE steward_journey_enrolment")))
          .as("%d runs", steps)
          .hasSize(2);
      assertThat(all.stream().filter(s -> s.startsWith("INSERT INTO steward_journey_history")))
          .hasSize(2);
      // the plans of s1, written in the unit that holds each enrolment: no read back
      assertThat(all)
          .noneMatch(
              s ->
                  s.startsWith("SELECT")
                      && s.contains(
                          "steward_journey_enrolment WHERE tenant_id = ? AND enrolment_id = ?"));
    }
  }

  @Test
  void eachStepAloneRecordsItsOwnSendAsBefore() {
    List<String> alone = calendarStatementsOfOneRun(10, false);
    // one SENT record per step, the entries as the batch leaves them (checked above)
    assertThat(alone.stream().filter(s -> s.startsWith("INSERT"))).hasSize(10);
  }

  @Test
  void aHundredStepsInABatchReadTheirMarksOncePerGroupAndTheirPreferencesOnce() {
    // journey analytics places a group's sent messages with one read of their marks, and the
    // frequency limiter reads the batch's contacts' preferences at once; each send counted once
    Enrolled run = Enrolled.of(ONE, 100, null);

    run.steward().runDue();

    assertThat(run.transport().sent()).hasSize(100);
    List<String> reads = run.ds().statements.stream().filter(s -> s.startsWith("SELECT")).toList();
    // one read of marks per group of sends the dispatcher records together (16), not one a send
    assertThat(reads.stream().filter(s -> s.contains("steward_journey_mark")))
        .hasSizeLessThanOrEqualTo((100 + 15) / 16);
    // the consent gate's read and the limiter's: once for the batch each
    assertThat(reads.stream().filter(s -> s.contains("steward_consent")))
        .hasSizeLessThanOrEqualTo(2);
    assertThat(
            run.steward()
                .journeyAnalytics()
                .funnel(T, "one", 1)
                .step("s0")
                .orElseThrow()
                .count(JourneyMetric.SENT))
        .isEqualTo(100);
  }
}
