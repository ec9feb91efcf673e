package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Step;
import dev.steward.journey.StepFunnel;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
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
 * Reads a journey's enrolment and its send step no longer repeat on PostgreSQL: the enrolment's
 * duplicate check and the contact's enrolments are one read, and a duplicate dispatch of a journey
 * message is neither placed by the analytics nor looked up in the calendar; the counts stay exact.
 */
class JourneyStepStatementsPostgresTest {
  private static final TenantId T = TenantId.of("stmts");

  private static long count(List<String> statements, String prefix) {
    return statements.stream().filter(s -> s.startsWith(prefix)).count();
  }

  @Test
  void anEnrolmentReadsItsEnrolmentsOnceAndADuplicateDispatchReadsNoMarkNorCalendarEntry() {
    TestDatabase db = TestDatabase.postgres();
    db.clear();
    StatementCountingDataSource ds = new StatementCountingDataSource(db.dataSource());
    SettableClock clock = SettableClock.of(Instant.parse("2026-06-01T09:00:00Z"));
    JourneyDefinition one =
        JourneyDefinition.builder("one", 1)
            .reEntry(ReEntry.always())
            .step(Step.Send.of("s0", "tpl-0", MessageKind.EDUCATIONAL, "news", null))
            .build();
    RecordingTransport transport = RecordingTransport.of();
    Steward steward =
        Steward.builder(clock)
            .stores(JdbcStores.of(ds))
            .transport(transport)
            .capPolicy(
                CapPolicy.builder()
                    .cap(Cap.perContact(1000, Window.rolling(Duration.ofDays(7))))
                    .build())
            .journeys(j -> j.journey(one))
            .build();
    JourneyScheduler journeys = steward.journeys().orElseThrow();
    for (String c : List.of("c0", "c1")) {
      journeys.putContact(
          new ContactProfile(
              T,
              ContactId.of(c),
              AccountId.of("a"),
              Optional.of(EmailAddress.of(c + "@example.com")),
              Optional.of(ZoneOffset.UTC),
              Map.of()));
    }
    journeys.enrol(T, ContactId.of("c0"), "one"); // warms up what runs once per store
    steward.runDue();

    ds.reset();
    journeys.enrol(T, ContactId.of("c1"), "one");
    List<String> enrol = List.copyOf(ds.statements);
    ds.reset();
    steward.runDue();
    List<String> step = List.copyOf(ds.statements);

    // the duplicate check and the contact's enrolments in one read, the calendar's check after
    // its plan in another
    assertThat(count(enrol, "SELECT 0 AS which")).isEqualTo(1);
    assertThat(count(enrol, "SELECT tenant_id, enrolment_id")).isEqualTo(1);
    // the dispatcher's listener marks the send; the step's SENT entry, in the step's unit of work
    assertThat(count(step, "INSERT INTO steward_journey_mark")).isEqualTo(2);
    assertThat(transport.sent()).hasSize(2);

    ds.reset();
    DispatchResult again = steward.dispatch(transport.sent().get(1));
    assertThat(again.status()).isEqualTo(DispatchStatus.DUPLICATE);
    assertThat(ds.statements)
        .noneMatch(x -> x.contains("steward_journey_mark"))
        .noneMatch(x -> x.contains("steward_calendar_entry"));
    StepFunnel s0 = steward.journeyAnalytics().funnel(T, one).step("s0").orElseThrow();
    assertThat(s0.count(JourneyMetric.ENTERED)).isEqualTo(2);
    assertThat(s0.count(JourneyMetric.SENT)).isEqualTo(2);
  }
}
