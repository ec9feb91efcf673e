package dev.steward.revieweos;

import static dev.steward.revieweos.EosHarness.SENDERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.delivery.DispatchStatus;
import dev.steward.governance.Level;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.onboarding.EndOfServiceNotice;
import dev.steward.onboarding.EndOfServicePolicy;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Governance lets a person terminate a tenant for a time ({@code override(..., TERMINATE, ...,
 * Optional.of(duration))}: "a temporary termination ends however often it is extended").
 * Onboarding's termination is final and starts the end of service (the ISV told to disable the
 * subuser, the data erased after the retention), and the sync carries it back into governance
 * without end: the temporary decision must not end the service for good.
 */
class EndOfServiceTemporaryTerminationTest {
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));

  @Test
  void aTerminationForThreeDaysEndsAfterThemAndEndsNoService() {
    List<EndOfServiceNotice> told = new CopyOnWriteArrayList<>();
    RecordingTransport transport = RecordingTransport.of();
    Steward steward =
        Steward.builder(clock)
            .transport(transport)
            .tenantGate(SENDERS)
            .endOfService(
                EndOfServicePolicy.builder()
                    .grace(Duration.ZERO)
                    .retention(Duration.ofDays(7))
                    .build(),
                told::add)
            .build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    EosHarness.into(m, ACME, OnboardingState.ACTIVE, clock);

    steward
        .governance()
        .override(
            ACME,
            Level.TERMINATE,
            "cooling off while we investigate",
            "trust@isv",
            Optional.of(Duration.ofDays(3)));
    EosHarness.drain(steward);
    assertThat(
            steward
                .dispatch(EosHarness.message(ACME, MessageKind.PROMOTIONAL, "m-1", clock))
                .status())
        .as("no mail while it lasts")
        .isEqualTo(DispatchStatus.SUPPRESSED);

    clock.advance(Duration.ofDays(3).plusHours(2));
    steward.governance().evaluate(ACME);
    EosHarness.drain(steward);

    assertThat(steward.governance().standing(ACME).level()).isNotEqualTo(Level.TERMINATE);
    assertThat(m.find(ACME))
        .hasValueSatisfying(r -> assertThat(r.state()).isNotEqualTo(OnboardingState.TERMINATED));
    assertThat(told).as("no end of service for a temporary termination").isEmpty();
    clock.advance(Duration.ofDays(10));
    EosHarness.drain(steward);
    assertThat(m.find(ACME)).as("its data is kept").isPresent();
    assertThat(
            steward
                .dispatch(EosHarness.message(ACME, MessageKind.PROMOTIONAL, "m-2", clock))
                .status())
        .isEqualTo(DispatchStatus.SENT);
  }
}
