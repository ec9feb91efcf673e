package dev.steward.review24;

import static dev.steward.review24.World24.ACME;
import static dev.steward.review24.World24.ANN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.JourneyAlertKind;
import dev.steward.journey.JourneyAnalyticsStore;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyFact;
import dev.steward.journey.JourneyMetric;
import dev.steward.journey.JourneyStepRef;
import dev.steward.journey.Step;
import dev.steward.journey.StepCount;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Suspicion (f) of the journey review: the analytics store fails once (briefly unreachable) when an
 * enrolment's ENTERED fact is recorded, after the journey store wrote the enrolment. The scheduler
 * logs the outcome listener's failure and nothing records the fact again, so the funnel counts one
 * entry fewer than enrolled, for good. PROVEN on the code of review 24; not fixed (see the branch's
 * report: the repair needs a replay of recorded changes, not a small change).
 */
class AnalyticsFailureCountsTest {
  private static final JourneyDefinition HELLO =
      JourneyDefinition.builder("hello", 1)
          .step(Step.Send.of("hello", "tpl-hello", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  @Disabled("review24 (f): proven, not fixed; the counts need a replay of recorded changes")
  @Test
  void anEntryWhoseFactFailedOnceIsStillCountedOnceTheStoreIsBack() {
    SettableClock clock = SettableClock.of(World24.T0);
    Stores plain = Stores.inMemory(clock);
    FailOnce analytics = new FailOnce(plain.journeyAnalytics());
    Stores stores =
        new Stores(
            plain.consent(),
            plain.suppressions(),
            plain.capLedger(),
            plain.calendar(),
            plain.ledger(),
            plain.work(),
            plain.inbox(),
            plain.healthHistory(),
            plain.healthBands(),
            plain.engagement(),
            plain.governanceMetrics(),
            plain.standings(),
            plain.onboarding(),
            plain.pilot(),
            plain.poolAssignments(),
            plain.journeys(),
            plain.tasks(),
            analytics,
            plain.triggers());
    Steward steward =
        Steward.builder(clock)
            .stores(stores)
            .transport(RecordingTransport.of())
            .journeys(j -> j.journey(HELLO))
            .build();
    steward
        .journeys()
        .orElseThrow()
        .putContact(
            new ContactProfile(
                ACME,
                ANN,
                World24.ACCT,
                Optional.of(EmailAddress.of("ann@example.com")),
                Optional.of(ZoneOffset.UTC),
                Map.of()));
    analytics.failNext.set(true);
    steward.journeys().orElseThrow().enrol(ACME, ANN, "hello");
    for (int i = 0; i < 6; i++) {
      steward.runDue();
      clock.advance(Duration.ofMinutes(30));
    }

    assertThat(analytics.failed).isTrue();
    assertThat(steward.journeyAnalytics().funnel(ACME, "hello", 1).total(JourneyMetric.SENT))
        .isEqualTo(1);
    assertThat(steward.journeyAnalytics().funnel(ACME, "hello", 1).total(JourneyMetric.ENTERED))
        .isEqualTo(1);
  }

  /** An analytics store whose next record fails when told to. */
  private static final class FailOnce implements JourneyAnalyticsStore {
    private final JourneyAnalyticsStore d;
    final AtomicBoolean failNext = new AtomicBoolean();
    volatile boolean failed;

    FailOnce(JourneyAnalyticsStore d) {
      this.d = d;
    }

    @Override
    public boolean record(JourneyFact fact) {
      if (failNext.getAndSet(false)) {
        failed = true;
        throw new IllegalStateException("analytics store unreachable");
      }
      return d.record(fact);
    }

    @Override
    public Optional<JourneyStepRef> stepOf(TenantId tenant, String messageId) {
      return d.stepOf(tenant, messageId);
    }

    @Override
    public List<StepCount> counts(TenantId tenant, String journey, int version) {
      return d.counts(tenant, journey, version);
    }

    @Override
    public boolean openEpisode(
        TenantId tenant, JourneyStepRef step, JourneyAlertKind kind, Instant at) {
      return d.openEpisode(tenant, step, kind, at);
    }

    @Override
    public boolean closeEpisode(TenantId tenant, JourneyStepRef step, JourneyAlertKind kind) {
      return d.closeEpisode(tenant, step, kind);
    }

    @Override
    public Map<String, Set<JourneyAlertKind>> openEpisodes(
        TenantId tenant, String journey, int version) {
      return d.openEpisodes(tenant, journey, version);
    }

    @Override
    public int purgeMarksBefore(Instant cutoff, int max) {
      return d.purgeMarksBefore(cutoff, max);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return d.eraseTenant(tenant);
    }
  }
}
