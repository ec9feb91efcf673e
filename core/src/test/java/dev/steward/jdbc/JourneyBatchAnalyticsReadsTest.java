package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
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
 * A batch of journey steps on PostgreSQL reads what it needs per group of sends, not per step:
 * journey analytics places the group's sent messages with one read of their marks ({@link
 * dev.steward.journey.JourneyAnalyticsStore#stepsOf}) and the frequency limiter reads the batch's
 * contacts' preferences with one consent read; each send is still counted once.
 */
class JourneyBatchAnalyticsReadsTest {
  private static final TenantId T = TenantId.of("anreads");
  private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

  private static final JourneyDefinition ONE =
      JourneyDefinition.builder("one", 1)
          .reEntry(ReEntry.always())
          .step(Step.Send.of("s0", "tpl-0", MessageKind.EDUCATIONAL, "news", null))
          .build();

  @Test
  void aHundredStepsInABatchReadTheirMarksOncePerGroupAndTheirPreferencesOnce() {
    TestDatabase db = TestDatabase.postgres();
    db.clear();
    StatementCountingDataSource ds = new StatementCountingDataSource(db.dataSource());
    SettableClock clock = SettableClock.of(T0);
    RecordingTransport transport = RecordingTransport.of();
    Steward steward =
        Steward.builder(clock)
            .stores(JdbcStores.of(ds))
            .transport(transport)
            .capPolicy(
                CapPolicy.builder()
                    .cap(Cap.perContact(1000, Window.rolling(Duration.ofDays(7))))
                    .build())
            .runner(r -> r.batchSize(100))
            .journeys(j -> j.journey(ONE).defaultZone(ZoneOffset.UTC))
            .build();
    JourneyScheduler journeys = steward.journeys().orElseThrow();
    int steps = 100;
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
      journeys.enrol(T, c, "one");
    }
    ds.reset();

    steward.runDue();

    assertThat(transport.sent()).hasSize(steps);
    List<String> markReads =
        ds.statements.stream()
            .filter(s -> s.startsWith("SELECT") && s.contains("steward_journey_mark"))
            .toList();
    List<String> consentReads =
        ds.statements.stream()
            .filter(s -> s.startsWith("SELECT") && s.contains("steward_consent"))
            .toList();
    // one read of marks per group of sends the dispatcher records together (16), not one a send
    assertThat(markReads).hasSizeLessThanOrEqualTo((steps + 15) / 16);
    // the consent gate's read and the limiter's: once for the batch each, not once a send
    assertThat(consentReads).hasSizeLessThanOrEqualTo(2);
    assertThat(
            steward
                .journeyAnalytics()
                .funnel(T, "one", 1)
                .step("s0")
                .orElseThrow()
                .count(JourneyMetric.SENT))
        .isEqualTo(steps);
  }
}
