package dev.steward.revieweos;

import static dev.steward.revieweos.EosHarness.LONG;
import static dev.steward.revieweos.EosHarness.PERSON;
import static dev.steward.revieweos.EosHarness.SENDERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.consent.Suppression;
import dev.steward.consent.SuppressionReason;
import dev.steward.delivery.DispatchStatus;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.onboarding.EndOfServicePolicy;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.PilotStore;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An end-of-service erasure that does not finish on the instance that started it, because one store
 * failed or because the instance died in the middle, is finished later: by the same instance or by
 * another one over the same data. The erasure cancels the tenant's due work first (its own item
 * included) and erases the onboarding record it checks before the stores after it, so neither a
 * retry of its item nor the sweep can be what finishes it.
 */
class EndOfServiceErasureRecoveryTest {
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));

  /** Thrown by a store of an instance that is going away. */
  static final class InstanceDied extends Error {
    private static final long serialVersionUID = 1L;

    InstanceDied() {
      super("the instance died in the middle of the erasure");
    }
  }

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({
    "memory, store-throws",
    "h2, store-throws",
    "postgres, store-throws",
    "h2, instance-dies",
    "postgres, instance-dies"
  })
  void anErasureCutShortIsFinishedByAnotherInstance(String backend, String failure) {
    TenantId tenant = LONG;
    Stores[] base = EosHarness.instances(backend, 2, clock);
    PilotStore failing =
        EosHarness.intercept(
            PilotStore.class,
            base[0].pilot(),
            (method, args) -> {
              if (method.equals("eraseTenant")) {
                if (failure.equals("instance-dies")) {
                  throw new InstanceDied();
                }
                throw new IllegalStateException("connection closed");
              }
              return null;
            });
    EndOfServicePolicy policy =
        EndOfServicePolicy.builder()
            .grace(Duration.ofDays(1))
            .retention(Duration.ofDays(30))
            .build();
    Steward one = steward(base[0].withOnboarding(base[0].onboarding(), failing), policy);
    Steward two = steward(base[1], policy);
    OnboardingStateMachine m = one.onboarding().orElseThrow();
    EosHarness.into(m, tenant, OnboardingState.PILOT, clock);
    assertThat(
            one.dispatch(EosHarness.message(tenant, MessageKind.PROMOTIONAL, "m-1", clock))
                .status())
        .isEqualTo(DispatchStatus.SENT);
    assertThat(base[1].pilot().find(tenant)).as("the pilot counted the send").isPresent();
    EmailAddress ana = EmailAddress.of("ana@example.com");
    base[1]
        .suppressions()
        .add(Suppression.of(tenant, ana, SuppressionReason.SPAM_REPORT, clock.instant(), "test"));

    m.transition(tenant, OnboardingState.TERMINATED, PERSON, "contract ended");
    EosHarness.drain(two); // the notice
    clock.advance(Duration.ofDays(30).plusMinutes(1));
    EosHarness.drainQuietly(one); // starts the erasure; the pilot store fails
    assertThat(base[1].onboarding().find(tenant)).as("the erasure started").isEmpty();
    // the first instance is gone; the other one goes on for a day
    for (int i = 0; i < 24; i++) {
      clock.advance(Duration.ofHours(1));
      EosHarness.drain(two);
    }

    assertThat(base[1].pilot().find(tenant)).as("the pilot state is erased in the end").isEmpty();
    assertThat(base[1].suppressions().find(tenant, ana)).isEmpty();
    assertThat(base[1].onboarding().find(tenant)).isEmpty();
  }

  private Steward steward(Stores stores, EndOfServicePolicy policy) {
    return Steward.builder(clock)
        .stores(stores)
        .transport(RecordingTransport.of())
        .tenantGate(SENDERS)
        .endOfService(policy, n -> {})
        .build();
  }
}
