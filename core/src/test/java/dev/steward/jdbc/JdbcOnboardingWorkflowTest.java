package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.Attestation;
import dev.steward.onboarding.IllegalTransitionException;
import dev.steward.onboarding.ListSource;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingWorkflow;
import dev.steward.onboarding.SenderFallbackPolicy;
import dev.steward.onboarding.SendingHistory;
import dev.steward.onboarding.TenantProfile;
import dev.steward.onboarding.Verdict;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Two application instances take turns onboarding one tenant over one PostgreSQL database: each
 * sees what the other recorded, and a governance move made by one is refused to the other's rule.
 */
class JdbcOnboardingWorkflowTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final Actor ALICE = Actor.human("alice");

  @Test
  void twoInstancesShareTheRecordAndItsGuards() {
    DB.clear();
    SettableClock clock = SettableClock.of(Instant.parse("2026-05-01T08:00:00Z"));
    OnboardingWorkflow first = workflow(clock);
    OnboardingWorkflow second = workflow(clock);
    TenantId acme = TenantId.of("acme");
    TenantProfile profile =
        TenantProfile.builder()
            .businessName("Acme Bakery Ltd")
            .websiteDomain("acmebakery.com")
            .senderDomains("acmebakery.com")
            .businessDocuments("companies-house:01234567")
            .declaredMonthlyVolume(2_000)
            .sendingHistory(SendingHistory.ESTABLISHED)
            .kinds(MessageKind.TRANSACTIONAL)
            .doubleOptIn(true)
            .listSources(ListSource.CHECKOUT)
            .attestation(new Attestation("jo", clock.instant(), "aup-3"))
            .sunsetAfter(Duration.ofDays(180))
            .build();

    first.enrol(acme, ALICE);
    assertThat(second.vet(acme, profile).advanced()).isTrue();
    clock.advance(Duration.ofDays(1));
    assertThat(first.useSenderFallback(acme, profile, ALICE, "single sender verified").advanced())
        .isTrue();
    clock.advance(Duration.ofDays(1));
    second.decide(acme, OnboardingPhase.CONTENT_REVIEW, Verdict.PASS, ALICE, "receipts only");
    first.stateMachine().transition(acme, OnboardingState.RESTRICTED, Actor.rule("bounces"), "6%");

    assertThatThrownBy(
            () ->
                second
                    .stateMachine()
                    .transition(acme, OnboardingState.TERMINATED, Actor.rule("bounces"), "x"))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("only a person may terminate");
    OnboardingRecord r = second.find(acme).orElseThrow();
    assertThat(r.state()).isEqualTo(OnboardingState.RESTRICTED);
    assertThat(r.resumeTo()).contains(OnboardingState.PILOT);
    assertThat(r.transitions()).hasSize(4);
    assertThat(r.verdicts()).hasSize(3);
    assertThat(r.enteredAt(OnboardingState.PILOT)).contains(Instant.parse("2026-05-03T08:00:00Z"));
  }

  private static OnboardingWorkflow workflow(SettableClock clock) {
    return OnboardingWorkflow.builder(clock, JdbcOnboardingStore.of(DB.dataSource()))
        .fallbackPolicy(SenderFallbackPolicy.singleSender(5_000))
        .build();
  }
}
