package dev.steward.revieweos;

import static dev.steward.revieweos.EosHarness.PERSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A person erases a terminated tenant before its retention ends (its owner asked), while the
 * provider is down and the end-of-service notice not yet taken: the erasure cancels the tenant's
 * work, and the notice, which is how the ISV learns to disable the subuser and revoke its keys,
 * must still be told.
 */
class EndOfServicePersonErasureTest {
  private static final TenantId ACME = TenantId.of("acme");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));

  @ParameterizedTest
  @ValueSource(strings = {"memory", "h2"})
  void aNoticePendingWhenAPersonErasesTheTenantIsToldAfterwards(String backend) {
    List<EndOfServiceNotice> told = new CopyOnWriteArrayList<>();
    AtomicBoolean providerUp = new AtomicBoolean(false);
    Stores stores = EosHarness.instances(backend, 1, clock)[0];
    Steward steward =
        Steward.builder(clock)
            .stores(stores)
            .transport(RecordingTransport.of())
            .endOfService(
                EndOfServicePolicy.ofDefaults(),
                n -> {
                  if (!providerUp.get()) {
                    throw new IllegalStateException("SendGrid is down");
                  }
                  told.add(n);
                })
            .build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    EosHarness.into(m, ACME, OnboardingState.ACTIVE, clock);
    m.transition(ACME, OnboardingState.TERMINATED, PERSON, "fraud confirmed");
    EosHarness.drain(steward);

    steward.eraseTenant(ACME);
    assertThat(m.find(ACME)).isEmpty();
    providerUp.set(true);
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofHours(1));
      EosHarness.drain(steward);
    }

    assertThat(told).isNotEmpty();
    assertThat(told.get(0).tenant()).isEqualTo(ACME);
  }
}
