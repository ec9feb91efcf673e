package dev.steward.revieweos;

import static dev.steward.revieweos.EosHarness.PERSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.model.TenantId;
import dev.steward.onboarding.EndOfServicePolicy;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A legal hold put on after a termination (the application restarted with {@link
 * EndOfServicePolicy.Builder#legalHold()}) keeps the data: the erasure stored under the earlier
 * policy must not run. Cleared again, the retention applies from the termination.
 */
class EndOfServiceLegalHoldTest {
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));

  @ParameterizedTest
  @ValueSource(strings = {"memory", "h2", "postgres"})
  void aHoldPutOnAfterTheTerminationKeepsTheDataUntilItIsCleared(String backend) {
    Stores[] stores = EosHarness.instances(backend, 3, clock);
    EndOfServicePolicy thirtyDays =
        EndOfServicePolicy.builder().retention(Duration.ofDays(30)).build();
    Steward before = steward(stores[0], thirtyDays);
    OnboardingStateMachine m = before.onboarding().orElseThrow();
    EosHarness.into(m, ACME, OnboardingState.ACTIVE, clock);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "contract ended");
    EosHarness.drain(before);
    Instant terminatedAt = clock.instant();

    // litigation: the application restarts with a legal hold
    Steward held = steward(stores[1], EndOfServicePolicy.builder().legalHold().build());
    clock.advance(Duration.ofDays(31));
    EosHarness.drain(held);
    assertThat(held.onboarding().orElseThrow().find(ACME))
        .as("held: the data is kept")
        .hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(OnboardingState.TERMINATED));

    // the hold is lifted: the retention has long passed, so the next sweep erases
    Steward lifted = steward(stores[2], thirtyDays);
    clock.advance(Duration.ofHours(7));
    EosHarness.drain(lifted);
    clock.advance(Duration.ofMinutes(1));
    EosHarness.drain(lifted);
    assertThat(lifted.onboarding().orElseThrow().find(ACME)).isEmpty();
    assertThat(terminatedAt).isBefore(clock.instant());
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "postgres"})
  void aRetentionLengthenedAfterTheTerminationIsTheOneApplied(String backend) {
    Stores[] stores = EosHarness.instances(backend, 2, clock);
    Steward before =
        steward(stores[0], EndOfServicePolicy.builder().retention(Duration.ofDays(30)).build());
    OnboardingStateMachine m = before.onboarding().orElseThrow();
    EosHarness.into(m, ACME, OnboardingState.ACTIVE, clock);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "contract ended");
    EosHarness.drain(before);

    Steward longer =
        steward(stores[1], EndOfServicePolicy.builder().retention(Duration.ofDays(90)).build());
    clock.advance(Duration.ofDays(31));
    EosHarness.drain(longer);
    assertThat(longer.onboarding().orElseThrow().find(ACME)).as("kept for 90 days").isPresent();
    clock.advance(Duration.ofDays(60));
    EosHarness.drain(longer);
    assertThat(longer.onboarding().orElseThrow().find(ACME)).isEmpty();
  }

  private Steward steward(Stores stores, EndOfServicePolicy policy) {
    return Steward.builder(clock)
        .stores(stores)
        .transport(RecordingTransport.of())
        .endOfService(policy, n -> {})
        .build();
  }
}
