package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.testing.FakeSenderAuthentication;
import dev.steward.testing.SettableClock;
import dev.steward.testing.StaticDnsResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tenants through phases 1 to 3 over virtual days: a good one reaches the pilot, a bad one is
 * stopped with its reasons, and reviewers' overrides are recorded.
 */
class OnboardingWorkflowScenarioTest {
  private static final Instant DAY_0 = Instant.parse("2026-04-01T09:00:00Z");
  private static final Actor ALICE = Actor.human("alice@isv.example");
  private static final Actor SIGNUP = Actor.rule("self-service-signup");

  private final SettableClock clock = SettableClock.of(DAY_0);
  private final StaticDnsResolver dns = StaticDnsResolver.of();
  private final FakeSenderAuthentication provider =
      FakeSenderAuthentication.over(dns, DnsFixtures.PROVIDER);
  private final List<OnboardingEvent> events = new ArrayList<>();
  private final InMemoryOnboardingStore store = InMemoryOnboardingStore.of();
  private final OnboardingWorkflow workflow =
      OnboardingWorkflow.builder(clock, store)
          .vettingChecks(
              concat(
                  VettingChecks.profileChecks(),
                  VettingChecks.blocklists(dns, List.of(DnsBlocklist.of("dbl.example.org")))))
          .senderAuthentication(provider)
          .dnsResolver(dns)
          .fallbackPolicy(SenderFallbackPolicy.singleSender(5_000))
          .listener(events::add)
          .build();

  private static <T> List<T> concat(List<T> a, T b) {
    List<T> all = new ArrayList<>(a);
    all.add(b);
    return all;
  }

  private void day(int n) {
    clock.set(DAY_0.plus(Duration.ofDays(n)));
  }

  private static SampleEmail newsletter() {
    return SampleEmail.builder(
            EmailAddress.of("news@mail.acmebakery.com"),
            "This week's bakes",
            MessageKind.PROMOTIONAL)
        .fromName("Acme Bakery")
        .header("List-Unsubscribe", "<https://acmebakery.com/u/1>")
        .header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
        .html(
            "<p>Rye is back.</p><a href=\"https://shop.acmebakery.com/rye\">Order</a>"
                + "<p>Acme Bakery Ltd, 12 Mill Lane, Bristol BS1 4DJ</p>"
                + "<a href=\"https://acmebakery.com/u/1\">Unsubscribe</a>")
        .build();
  }

  private static SampleEmail receipt() {
    return SampleEmail.builder(
            EmailAddress.of("orders@acmebakery.com"),
            "Order 10482 confirmed",
            MessageKind.TRANSACTIONAL)
        .fromName("Acme Bakery")
        .text("Thanks for your order. https://shop.acmebakery.com/orders/10482")
        .build();
  }

  @Test
  void aGoodTenantPassesVettingDomainVerificationAndContentReviewIntoThePilot() {
    TenantId acme = TenantId.of("acme");
    TenantProfile profile = Profiles.good().build();

    workflow.enrol(acme, SIGNUP);
    PhaseOutcome vetting = workflow.vet(acme, profile);
    assertThat(vetting.report().verdict()).isEqualTo(Verdict.PASS);
    assertThat(vetting.advanced()).isTrue();
    assertThat(dns.asked()).contains("acmebakery.com.dbl.example.org A");

    day(1);
    DomainAuthentication auth = workflow.startDomainVerification(acme, "mail.acmebakery.com");
    assertThat(auth.records()).hasSize(3);
    PhaseOutcome early = workflow.verifySenderDomains(acme, List.of(auth.id()));
    assertThat(early.advanced()).as("nothing is published yet").isFalse();
    assertThat(early.report().problems()).isNotEmpty();

    day(3);
    DnsFixtures.publish(dns, auth);
    dns.set("_dmarc.acmebakery.com", RecordType.TXT, "v=DMARC1; p=quarantine");
    PhaseOutcome domain = workflow.verifySenderDomains(acme, List.of(auth.id()));
    assertThat(domain.report().verdict()).isEqualTo(Verdict.PASS);
    assertThat(domain.advanced())
        .as("a failed verification needs a person to clear the phase, even once fixed")
        .isFalse();
    workflow.decide(
        acme,
        OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
        Verdict.PASS,
        ALICE,
        "records were published late; verified now");

    day(4);
    PhaseOutcome content =
        workflow.reviewContent(
            acme,
            List.of(newsletter(), receipt()),
            ReviewContext.of(profile, UnsubscribeMechanism.GROUP));
    assertThat(content.report().problems()).isEmpty();
    OnboardingRecord r = content.record();

    assertThat(r.state()).isEqualTo(OnboardingState.PILOT);
    assertThat(r.state().maySend()).isTrue();
    assertThat(r.enteredAt(OnboardingState.DOMAIN_VERIFICATION)).contains(DAY_0);
    assertThat(r.enteredAt(OnboardingState.CONTENT_REVIEW))
        .contains(DAY_0.plus(Duration.ofDays(3)));
    assertThat(r.enteredAt(OnboardingState.PILOT)).contains(DAY_0.plus(Duration.ofDays(4)));
    assertThat(r.transitions())
        .extracting(Transition::by)
        .containsExactly(OnboardingWorkflow.VETTING_RULE, ALICE, OnboardingWorkflow.CONTENT_RULE);
    assertThat(r.verdicts())
        .extracting(PhaseVerdict::verdict)
        .containsExactly(Verdict.PASS, Verdict.FAIL, Verdict.PASS, Verdict.PASS, Verdict.PASS);
    assertThat(events).filteredOn(e -> e instanceof OnboardingEvent.PhaseChanged).hasSize(3);
  }

  @Test
  void aBadTenantIsStoppedWithTheReasonsAndCannotBeMovedOn() {
    TenantId spammy = TenantId.of("spammy");
    dns.set("spammy-deals.example.dbl.example.org", RecordType.A, "127.0.1.2");
    TenantProfile profile =
        TenantProfile.builder()
            .businessName("Spammy Deals")
            .websiteDomain("spammy-deals.example")
            .senderDomains("spammy-deals.example")
            .declaredMonthlyVolume(2_000_000)
            .sendingHistory(SendingHistory.NONE)
            .kinds(MessageKind.PROMOTIONAL)
            .doubleOptIn(false)
            .listSources(ListSource.PURCHASED)
            .build();

    workflow.enrol(spammy, SIGNUP);
    PhaseOutcome vetting = workflow.vet(spammy, profile);

    assertThat(vetting.advanced()).isFalse();
    assertThat(vetting.report().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(vetting.report().problems())
        .extracting(CheckResult::check)
        .containsExactly(
            "business-documents",
            "volume-and-history",
            "double-opt-in",
            "list-sources",
            "acceptable-use",
            "sunset-policy",
            "blocklists");
    PhaseVerdict recorded = vetting.record().latestVerdict(OnboardingPhase.VETTING).orElseThrow();
    assertThat(recorded.reason()).startsWith("7 of 9 checks did not pass");
    assertThat(recorded.findings()).anySatisfy(f -> assertThat(f).startsWith("blocklists: FAIL"));

    day(1);
    assertThatThrownBy(() -> workflow.startDomainVerification(spammy, "spammy-deals.example"))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("needs the tenant in DOMAIN_VERIFICATION");
    assertThatThrownBy(
            () ->
                workflow
                    .stateMachine()
                    .transition(spammy, OnboardingState.DOMAIN_VERIFICATION, SIGNUP, "retry"))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("newest verdict is FAIL");

    OnboardingRecord rejected = workflow.reject(spammy, ALICE, "purchased lists, listed domain");
    assertThat(rejected.state()).isEqualTo(OnboardingState.REJECTED);
    assertThat(rejected.state().maySend()).isFalse();
  }

  @Test
  void aReviewerOverridesAFreeMailSenderAndAFailedContentReviewAndBothAreRecorded() {
    TenantId solo = TenantId.of("solo");
    TenantProfile profile =
        Profiles.good()
            .businessName("Jo Potter Ceramics")
            .websiteDomain("jopotter.example")
            .senderDomains("gmail.com")
            .linkDomains()
            .senderDomainJustification("sole trader; a domain is on order")
            .declaredMonthlyVolume(800)
            .build();

    workflow.enrol(solo, SIGNUP);
    PhaseOutcome vetting = workflow.vet(solo, profile);
    assertThat(vetting.report().verdict()).isEqualTo(Verdict.NEEDS_REVIEW);
    assertThat(vetting.advanced()).isFalse();

    day(2);
    OnboardingRecord r =
        workflow.decide(solo, OnboardingPhase.VETTING, Verdict.PASS, ALICE, "phoned Jo; genuine");
    assertThat(r.state()).isEqualTo(OnboardingState.DOMAIN_VERIFICATION);
    assertThat(r.latestVerdict(OnboardingPhase.VETTING).orElseThrow().by()).isEqualTo(ALICE);

    assertThatThrownBy(
            () ->
                workflow.decide(
                    solo, OnboardingPhase.SENDER_DOMAIN_VERIFICATION, Verdict.PASS, SIGNUP, "ok"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("reviewer must be a person");
    PhaseOutcome fallback =
        workflow.useSenderFallback(
            solo, profile, ALICE, "single sender jo.potter@gmail.com verified");
    assertThat(fallback.advanced()).isTrue();
    assertThat(fallback.report().results().get(0).summary()).contains("single-sender verification");

    day(3);
    SampleEmail shouty =
        SampleEmail.builder(
                EmailAddress.of("jo.potter@gmail.com"),
                "HUGE KILN SALE NOW ON!!!",
                MessageKind.PROMOTIONAL)
            .fromName("Jo Potter Ceramics")
            .text("Mugs and bowls from the spring firing. https://jopotter.example/shop")
            .build();
    ReviewContext ctx =
        new ReviewContext(
            "Jo Potter Ceramics",
            java.util.Set.of("jopotter.example", "gmail.com"),
            java.util.Optional.of(UnsubscribeMechanism.GLOBAL));
    PhaseOutcome content = workflow.reviewContent(solo, List.of(shouty), ctx);
    assertThat(content.advanced()).isFalse();
    assertThat(content.report().problems())
        .extracting(CheckResult::check)
        .contains(
            "sample[0] unsubscribe", "sample[0] postal-address", "sample[0] deceptive-subject");

    day(5);
    OnboardingRecord pilot =
        workflow.decide(
            solo,
            OnboardingPhase.CONTENT_REVIEW,
            Verdict.PASS,
            ALICE,
            "Jo sends through our template with footer and one-click headers; subject reworded");
    assertThat(pilot.state()).isEqualTo(OnboardingState.PILOT);
    PhaseVerdict manual = pilot.latestVerdict(OnboardingPhase.CONTENT_REVIEW).orElseThrow();
    assertThat(manual.by()).isEqualTo(ALICE);
    assertThat(manual.at()).isEqualTo(DAY_0.plus(Duration.ofDays(5)));
    assertThat(manual.reason()).contains("subject reworded");
  }

  @Test
  void theWorkflowRunsTheSameOverAStoreReadBackFromScratch() {
    TenantId acme = TenantId.of("acme");
    workflow.enrol(acme, SIGNUP);
    workflow.vet(acme, Profiles.good().build());

    OnboardingWorkflow restarted =
        OnboardingWorkflow.builder(clock, store)
            .senderAuthentication(provider)
            .dnsResolver(dns)
            .build();
    assertThat(restarted.find(acme).orElseThrow().state())
        .isEqualTo(OnboardingState.DOMAIN_VERIFICATION);
    assertThatThrownBy(() -> restarted.startDomainVerification(acme, "not a domain"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("domain");
    assertThatThrownBy(() -> restarted.verifySenderDomains(acme, List.of("9999")))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("authenticationIds[0]");
    assertThatThrownBy(() -> OnboardingWorkflow.builder(clock, store).vettingChecks(List.of()))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("vettingChecks");
  }
}
