package dev.steward.revieweos;

import static dev.steward.revieweos.EosHarness.PERSON;
import static dev.steward.revieweos.EosHarness.SENDERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Reason;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.onboarding.EndOfServicePolicy;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The grace at its edges: none means none, also on an instance whose clock is behind the one that
 * terminated (or a clock stepped back); at the instant it ends, mail is refused; and the reason
 * says how long the grace really is when it is not whole days.
 */
class EndOfServiceGraceBoundaryTest {
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));
  private final RecordingTransport transport = RecordingTransport.of();
  private int ids;

  private Steward steward(EndOfServicePolicy policy) {
    return Steward.builder(clock)
        .transport(transport)
        .tenantGate(SENDERS)
        .endOfService(policy, n -> {})
        .build();
  }

  private DispatchResult send(Steward s, MessageKind kind) {
    return s.dispatch(EosHarness.message(ACME, kind, "m-" + (++ids), clock));
  }

  private static String reasons(DispatchResult r) {
    return r.decision().reasons().stream().map(Reason::detail).collect(Collectors.joining(" | "));
  }

  @Test
  void noGraceRefusesTransactionalMailEvenWhenTheClockReadsBeforeTheTermination() {
    Steward steward = steward(EndOfServicePolicy.builder().grace(Duration.ZERO).build());
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    EosHarness.into(m, ACME, OnboardingState.ACTIVE, clock);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "closed");

    clock.set(clock.instant().minusMillis(1)); // another instance's clock, a millisecond behind
    DispatchResult receipt = send(steward, MessageKind.TRANSACTIONAL);

    assertThat(receipt.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(transport.sent()).isEmpty();
  }

  @Test
  void theGraceEndsAtItsInstantAndItsReasonNamesItsRealLength() {
    Steward steward = steward(EndOfServicePolicy.builder().grace(Duration.ofHours(12)).build());
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    EosHarness.into(m, ACME, OnboardingState.ACTIVE, clock);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "closed");

    clock.advance(Duration.ofHours(12).minusNanos(1000));
    DispatchResult last = send(steward, MessageKind.TRANSACTIONAL);
    assertThat(last.status()).isEqualTo(DispatchStatus.SENT);
    assertThat(reasons(last)).doesNotContain("grace 0 days").contains("12 hours");
    clock.advance(Duration.ofNanos(1000));
    DispatchResult refused = send(steward, MessageKind.TRANSACTIONAL);
    assertThat(refused.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(reasons(refused)).doesNotContain("(0 days)").contains("12 hours");
    DispatchResult promo = send(steward, MessageKind.PROMOTIONAL);
    assertThat(reasons(promo)).doesNotContain("for 0 days").contains("12 hours");
  }
}
