package dev.steward.revieweos;

import static dev.steward.revieweos.EosHarness.LONG;
import static dev.steward.revieweos.EosHarness.PERSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.Stores;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The notice is told at least once (it is how the ISV learns to disable the subuser and revoke its
 * keys), even when the tenant's data is erased before a listener has taken it: a short retention
 * (zero is allowed) or a listener failing for longer than the retention. The erasure cancels all of
 * the tenant's due work, the pending notice included.
 */
class EndOfServiceNoticeSurvivesErasureTest {
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T10:00:00Z"));

  @ParameterizedTest(name = "{0}, retention {1}")
  @CsvSource({"memory, P1D", "h2, P1D", "postgres, P1D", "memory, PT0S", "h2, PT0S"})
  void aNoticeStillPendingWhenTheDataIsErasedIsToldAfterwards(String backend, String retention) {
    List<EndOfServiceNotice> told = new CopyOnWriteArrayList<>();
    AtomicBoolean providerUp = new AtomicBoolean(false);
    Stores stores = EosHarness.instances(backend, 1, clock)[0];
    Steward steward =
        Steward.builder(clock)
            .stores(stores)
            .transport(RecordingTransport.of())
            .endOfService(
                EndOfServicePolicy.builder()
                    .grace(Duration.ZERO)
                    .retention(Duration.parse(retention))
                    .build(),
                n -> {
                  if (!providerUp.get()) {
                    throw new IllegalStateException("SendGrid is down");
                  }
                  told.add(n);
                })
            .build();
    OnboardingStateMachine m = steward.onboarding().orElseThrow();
    EosHarness.into(m, LONG, OnboardingState.ACTIVE, clock);
    m.transition(LONG, OnboardingState.TERMINATED, PERSON, "fraud confirmed");

    // the provider is down for two days; the retention ends meanwhile
    for (int i = 0; i < 2 * 24; i++) {
      EosHarness.drain(steward);
      clock.advance(Duration.ofHours(1));
    }
    assertThat(m.find(LONG)).as("the data is erased").isEmpty();
    providerUp.set(true);
    for (int i = 0; i < 3; i++) {
      EosHarness.drain(steward);
      clock.advance(Duration.ofHours(1));
    }

    assertThat(told).as("the listener is told once it can take the notice").isNotEmpty();
    assertThat(told)
        .allSatisfy(
            n -> {
              assertThat(n.tenant()).isEqualTo(LONG);
              assertThat(n.noticeId()).isEqualTo(told.get(0).noticeId());
            });
  }
}
