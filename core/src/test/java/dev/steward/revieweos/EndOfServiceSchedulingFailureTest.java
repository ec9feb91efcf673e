package dev.steward.revieweos;

import static dev.steward.revieweos.EosHarness.PERSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.delivery.EventInbox;
import dev.steward.governance.Level;
import dev.steward.governance.Standing;
import dev.steward.model.TenantId;
import dev.steward.onboarding.EndOfService;
import dev.steward.onboarding.EndOfServicePolicy;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The work store refuses the end of service's items at the moment of a termination (an outage): the
 * termination stands, and the rest of Steward still hears it: governance is told of it at once (the
 * onboarding listener that forwards to both must not let the first one's failure skip the second),
 * and once the store is back the erasure is stored by the sweep.
 */
class EndOfServiceSchedulingFailureTest {
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));

  @Test
  void aWorkStoreOutageAtTheTerminationDoesNotKeepItFromGovernance() {
    Stores base = Stores.inMemory(clock);
    AtomicBoolean down = new AtomicBoolean(false);
    WorkStore work =
        EosHarness.intercept(
            WorkStore.class,
            base.work(),
            (method, args) -> {
              if (down.get()
                  && method.equals("schedule")
                  && ((WorkItem) args[0]).key().kind().startsWith("steward.onboarding.end-of")) {
                throw new IllegalStateException("database unavailable");
              }
              return null;
            });
    EventInbox inbox =
        EosHarness.intercept(
            EventInbox.class, base.inbox(), (method, args) -> method.equals("work") ? work : null);
    Stores stores =
        new Stores(
            base.consent(),
            base.suppressions(),
            base.capLedger(),
            base.calendar(),
            base.ledger(),
            work,
            inbox,
            base.healthHistory(),
            base.healthBands(),
            base.engagement(),
            base.governanceMetrics(),
            base.standings(),
            base.onboarding(),
            base.pilot(),
            base.poolAssignments(),
            base.journeys(),
            base.tasks(),
            base.journeyAnalytics(),
            base.triggers());
    Steward steward =
        Steward.builder(clock)
            .stores(stores)
            .transport(RecordingTransport.of())
            .endOfService(
                EndOfServicePolicy.builder().retention(Duration.ofDays(30)).build(), n -> {})
            .build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    EosHarness.into(m, ACME, OnboardingState.ACTIVE, clock);

    down.set(true);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "fraud confirmed");
    down.set(false);

    assertThat(m.find(ACME).orElseThrow().state()).isEqualTo(OnboardingState.TERMINATED);
    assertThat(steward.governance().storedStanding(ACME).map(Standing::level))
        .as("governance heard of the termination")
        .contains(Level.TERMINATE);
    assertThat(work.find(dev.steward.schedule.WorkKey.of(ACME, EndOfService.ERASE_KIND, "x")))
        .isEmpty();
    // the sweep stores the erasure the outage lost
    clock.advance(Duration.ofHours(7));
    EosHarness.drain(steward);
    clock.advance(Duration.ofDays(30));
    EosHarness.drain(steward);
    assertThat(m.find(ACME)).isEmpty();
  }
}
