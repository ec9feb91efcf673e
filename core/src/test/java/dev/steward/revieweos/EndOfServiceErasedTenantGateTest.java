package dev.steward.revieweos;

import static dev.steward.revieweos.EosHarness.PERSON;
import static dev.steward.revieweos.EosHarness.SENDERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.model.MessageKind;
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
 * A gate that lets unenrolled tenants send ({@code allowUnenrolled}, for tenants that predate
 * onboarding) must not take a terminated tenant whose data the end of service erased for one of
 * them: with its onboarding record and governance standing gone, it would send everything again.
 */
class EndOfServiceErasedTenantGateTest {
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));

  @ParameterizedTest
  @ValueSource(strings = {"memory", "h2", "postgres"})
  void aTerminatedTenantErasedAfterItsRetentionDoesNotSendAgain(String backend) {
    Stores stores = EosHarness.instances(backend, 1, clock)[0];
    RecordingTransport transport = RecordingTransport.of();
    Steward steward =
        Steward.builder(clock)
            .stores(stores)
            .transport(transport)
            .tenantGate(SENDERS, g -> g.allowUnenrolled())
            .endOfService(
                EndOfServicePolicy.builder().retention(Duration.ofDays(30)).build(), n -> {})
            .build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    EosHarness.into(m, ACME, OnboardingState.ACTIVE, clock);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "spam operation");
    EosHarness.drain(steward);
    assertThat(
            steward
                .dispatch(EosHarness.message(ACME, MessageKind.PROMOTIONAL, "m-1", clock))
                .status())
        .isEqualTo(DispatchStatus.SUPPRESSED);

    clock.advance(Duration.ofDays(30).plusMinutes(1));
    EosHarness.drain(steward);
    assertThat(m.find(ACME)).as("erased after the retention").isEmpty();

    DispatchResult after =
        steward.dispatch(EosHarness.message(ACME, MessageKind.PROMOTIONAL, "m-2", clock));
    assertThat(after.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    DispatchResult receipt =
        steward.dispatch(EosHarness.message(ACME, MessageKind.TRANSACTIONAL, "m-3", clock));
    assertThat(receipt.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(transport.sent()).isEmpty();
  }
}
