package dev.steward.onboarding;

import static dev.steward.onboarding.PilotWorld.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.Steward;
import dev.steward.delivery.Decision;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.delivery.SendResult;
import dev.steward.governance.GovernanceEvaluator;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.InMemoryStandingStore;
import dev.steward.governance.Level;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tenant gate's other rules: From domains and the fallback policy, tenants not enrolled, its
 * reservation given back when a later gate or the transport refuses, sampling for content review,
 * and its configuration.
 */
class TenantGateTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId LEGACY = TenantId.of("legacy");
  private static final WarmUpPlan SMALL = WarmUpPlan.builder().stages(10, 20, 40, 80).build();

  private static Optional<Reason> tenantReason(DispatchResult r, String rule) {
    return r.decision().reasons().stream()
        .filter(x -> x.gate().equals(TenantGate.GATE) && x.rule().equals(rule))
        .findFirst();
  }

  private static LocalDate today(PilotWorld w) {
    return LocalDate.ofInstant(w.clock.instant(), java.time.ZoneOffset.UTC);
  }

  @Test
  void mailFromADomainNotAuthenticatedForTheTenantIsRefusedUnlessTheFallbackCoversIt() {
    PilotWorld w = new PilotWorld(g -> g.plan(SMALL));
    w.intoPilot(ACME);
    w.fromDomain.put(ACME, "other.example");
    DispatchResult refused = w.send(ACME);
    assertThat(refused.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(tenantReason(refused, "sender-domain").orElseThrow().detail())
        .contains("From domain other.example is not authenticated for tenant acme")
        .contains("fallback policy (NONE)");
    assertThat(w.pilotStore.count(ACME, today(w))).isZero();

    PilotWorld isv =
        new PilotWorld(
            g -> g.plan(SMALL).fallbackPolicy(SenderFallbackPolicy.onBehalfOf("isv.example")));
    isv.intoPilot(ACME);
    isv.fromDomain.put(ACME, "isv.example");
    DispatchResult onBehalf = isv.send(ACME);
    assertThat(onBehalf.status()).isEqualTo(DispatchStatus.SENT);
    assertThat(tenantReason(onBehalf, "sender-fallback").orElseThrow().detail())
        .contains("the ISV's authenticated domain");
    // the fallback names one domain: any other stays refused
    isv.fromDomain.put(ACME, "elsewhere.example");
    assertThat(isv.send(ACME).status()).isEqualTo(DispatchStatus.SUPPRESSED);
  }

  @Test
  void aVerifiedSingleSenderPassesOnlyUnderTheSingleSenderFallback() {
    List<PilotWorld> worlds = new ArrayList<>();
    for (SenderFallbackPolicy p :
        List.of(SenderFallbackPolicy.none(), SenderFallbackPolicy.singleSender(5_000))) {
      PilotWorld w = new PilotWorld(g -> g.plan(SMALL).fallbackPolicy(p));
      w.intoPilot(ACME);
      w.fromDomain.put(ACME, "gmail.example");
      worlds.add(w);
    }
    SenderIdentities verifiedSingle =
        new SenderIdentities() {
          @Override
          public Optional<dev.steward.model.EmailAddress> from(Message m) {
            return worlds.get(0).senders.from(m);
          }

          @Override
          public boolean domainAuthenticated(TenantId t, String domain) {
            return false;
          }

          @Override
          public boolean singleSenderVerified(TenantId t, dev.steward.model.EmailAddress a) {
            return true;
          }
        };
    for (int i = 0; i < 2; i++) {
      PilotWorld base = worlds.get(i);
      SenderFallbackPolicy p =
          i == 0 ? SenderFallbackPolicy.none() : SenderFallbackPolicy.singleSender(5_000);
      TenantGate gate =
          TenantGate.builder(base.machine, base.pilotStore)
              .governance(base.steward.governance(), base.steward.stores().governanceMetrics())
              .senders(verifiedSingle)
              .plan(SMALL)
              .fallbackPolicy(p)
              .build();
      Decision d = gate.evaluate(base.message(ACME), base.clock.instant());
      assertThat(d.outcome()).isEqualTo(i == 0 ? Outcome.SUPPRESS : Outcome.ALLOW);
      if (i == 1) {
        assertThat(d.reasons())
            .filteredOn(r -> r.rule().equals("sender-fallback"))
            .singleElement()
            .satisfies(r -> assertThat(r.detail()).contains("verified single sender"));
      }
    }
  }

  @Test
  void aTenantNotEnrolledIsRefusedUnlessUnenrolledTenantsAreAllowedAndThenHasNoWarmUp() {
    PilotWorld strict = new PilotWorld(g -> g.plan(SMALL));
    strict.authenticate(LEGACY);
    DispatchResult refused = strict.send(LEGACY);
    assertThat(refused.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(tenantReason(refused, "not-enrolled").orElseThrow().effect())
        .isEqualTo(Outcome.SUPPRESS);

    PilotWorld lenient = new PilotWorld(g -> g.plan(SMALL).allowUnenrolled());
    lenient.authenticate(LEGACY);
    List<DispatchResult> sent = lenient.send(LEGACY, 50);
    assertThat(count(sent, DispatchStatus.SENT)).isEqualTo(50);
    assertThat(tenantReason(sent.get(0), "not-enrolled").orElseThrow().detail())
        .contains("allowUnenrolled");
    assertThat(lenient.gate.pilotState(LEGACY)).isEmpty();
    // its standing still applies
    lenient.steward.governance().override(LEGACY, Level.SUSPEND, "abuse", "ops", Optional.empty());
    assertThat(lenient.send(LEGACY).status()).isEqualTo(DispatchStatus.SUPPRESSED);
  }

  @Test
  void withoutTheTenantGateStewardSendsForAnyTenantAndTheGateReadsTheStoresOnboarding() {
    RecordingTransport transport = RecordingTransport.of();
    SettableClock clock = SettableClock.of(PilotWorld.DAY_0);
    Steward plain = Steward.builder(clock).transport(transport).build();
    assertThat(plain.tenantGate()).isEmpty();
    // the stores carry the onboarding store: the state machine is there, the gate is not
    assertThat(plain.onboarding()).isPresent();
    PilotWorld w = new PilotWorld(g -> {});
    assertThat(plain.dispatch(w.message(LEGACY)).status()).isEqualTo(DispatchStatus.SENT);

    // the gate without an onboarding store of its own reads the stores' one: an unenrolled
    // tenant is refused
    Steward gated =
        Steward.builder(clock)
            .transport(transport)
            .tenantGate(InMemoryPilotStore.of(), w.senders)
            .build();
    assertThat(gated.dispatch(w.message(LEGACY)).status()).isEqualTo(DispatchStatus.SUPPRESSED);
    gated.onboarding().orElseThrow().enrol(LEGACY, Actor.rule("test"));
    assertThat(gated.stores().onboarding().find(LEGACY)).isPresent();

    OnboardingStateMachine m =
        OnboardingStateMachine.builder(clock, InMemoryOnboardingStore.of()).build();
    assertThatThrownBy(
            () -> TenantGate.builder(m, InMemoryPilotStore.of()).senders(w.senders).build())
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("governance(evaluator, metrics) is required");
    GovernanceEvaluator gov =
        GovernanceEvaluator.builder(
                InMemoryGovernanceMetricsStore.of(), InMemoryStandingStore.of(), clock)
            .build();
    assertThatThrownBy(
            () ->
                TenantGate.builder(m, InMemoryPilotStore.of())
                    .governance(gov, InMemoryGovernanceMetricsStore.of())
                    .build())
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("senders(...) is required");
    assertThatThrownBy(
            () ->
                TenantGate.builder(m, InMemoryPilotStore.of()).sampling((x, t) -> {}, 0, t -> true))
        .isInstanceOf(InvalidWarmUpPlanException.class)
        .hasMessageContaining("sampling every 0 messages");
    assertThatThrownBy(() -> TenantGate.builder(null, InMemoryPilotStore.of()))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("onboarding");
  }

  /** A gate after the tenant gate that refuses the contact "blocked". */
  private static final class BlockingGate implements Gate {
    @Override
    public String name() {
      return "blocking";
    }

    @Override
    public Decision evaluate(Message message, Instant now) {
      return message.contact().value().startsWith("blocked")
          ? Decision.suppress(Reason.of("blocking", "blocked", Outcome.SUPPRESS, "blocked"))
          : Decision.allow();
    }
  }

  @Test
  void theReservationIsGivenBackWhenALaterGateOrTheTransportRefuses() {
    PilotWorld w = new PilotWorld(g -> g.plan(SMALL), b -> b.gate(new BlockingGate()));
    w.intoPilot(ACME);
    w.at(1, "23:30");
    assertThat(w.send(ACME).status()).isEqualTo(DispatchStatus.SENT);
    assertThat(w.pilotStore.count(ACME, today(w))).isEqualTo(1);

    Message blocked =
        w.message(ACME).toBuilder().contact(dev.steward.model.ContactId.of("blocked-1")).build();
    DispatchResult r = w.steward.dispatch(blocked);
    assertThat(r.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(tenantReason(r, "warm-up-stage-1").orElseThrow().effect())
        .as("the tenant gate allowed and reserved it")
        .isEqualTo(Outcome.ALLOW);
    assertThat(w.pilotStore.count(ACME, today(w))).as("released").isEqualTo(1);

    w.transport.respondWith(m -> SendResult.rejected("bad recipient"));
    DispatchResult rejected = w.send(ACME);
    assertThat(rejected.status()).isEqualTo(DispatchStatus.FAILED);
    assertThat(w.pilotStore.count(ACME, today(w))).isEqualTo(1);
    w.transport.acceptAll();

    // the nine places left are all there
    assertThat(count(w.send(ACME, 10), DispatchStatus.SENT)).isEqualTo(9);
  }

  @Test
  void everyNthMessageOfAFreeFormTenantIsSampledAndARejectionIsAContentWarningThatDropsAStage() {
    TenantId templated = TenantId.of("templated");
    List<Message> sampled = new ArrayList<>();
    PilotWorld w =
        new PilotWorld(
            g -> g.plan(SMALL).sampling((m, at) -> sampled.add(m), 3, t -> t.equals(ACME)));
    w.intoPilot(ACME);
    w.intoPilot(templated);
    w.fullDay(ACME, 1);
    w.fullDay(ACME, 2);
    w.at(3, "10:00");
    List<DispatchResult> sent = w.send(ACME, 9);
    List<DispatchResult> templatedSent = w.send(templated, 9);
    assertThat(w.stage(ACME)).isEqualTo(2);
    // 10 + 20 + 9 of acme's messages so far: those whose id is chosen (one in three by the id's
    // hash), none of the templated tenant's
    assertThat(sampled)
        .hasSizeBetween(6, 20)
        .allMatch(m -> m.tenant().equals(ACME))
        .allMatch(m -> ContentSampler.chosen(m.id(), 3));
    assertThat(sent)
        .filteredOn(r -> tenantReason(r, "content-sample").isPresent())
        .extracting(r -> r.message().id())
        .containsExactlyElementsOf(
            sent.stream()
                .map(r -> r.message().id())
                .filter(id -> ContentSampler.chosen(id, 3))
                .toList());
    assertThat(templatedSent).noneMatch(r -> tenantReason(r, "content-sample").isPresent());

    Message bad = sampled.get(sampled.size() - 1);
    var standing = w.gate.contentRejected(ACME, bad.id(), "reviewer-7", "misleading subject");
    assertThat(standing.level()).isEqualTo(Level.WARN);
    assertThat(standing.history().get(standing.history().size() - 1).explanation())
        .contains("content warning")
        .contains(bad.id().value())
        .contains("misleading subject");
    w.send(ACME);
    assertThat(w.stage(ACME)).isEqualTo(1);
    assertThatThrownBy(() -> w.gate.contentRejected(ACME, bad.id(), " ", "x"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("reviewer");
  }

  @Test
  void aReleasedMessageThatWentOutAfterAllIsCountedOnceWhateverTheCap() {
    PilotWorld w = new PilotWorld(g -> g.plan(WarmUpPlan.builder().stages(1, 2).build()));
    w.intoPilot(ACME);
    w.at(1, "23:30");
    Instant now = w.clock.instant();
    Message m = w.message(ACME);
    assertThat(w.gate.evaluate(m, now).isAllowed()).isTrue();
    w.gate.release(m, now); // the transport answered RETRYABLE
    assertThat(w.pilotStore.count(ACME, today(w))).isZero();
    Message other = w.message(ACME);
    assertThat(w.gate.evaluate(other, now).isAllowed()).isTrue();
    // the provider's events prove the first went out: counted, over the cap of 1, once
    w.gate.confirmSent(m, now);
    w.gate.confirmSent(m, now);
    assertThat(w.pilotStore.count(ACME, today(w))).isEqualTo(2);
    assertThat(w.gate.evaluate(w.message(ACME), now).outcome()).isEqualTo(Outcome.DEFER);
  }

  @Test
  void aMetricAtWarningHoldsTheStageEvenBeforeGovernanceHasJudgedIt() {
    List<Integer> stages = new ArrayList<>();
    for (int unsubscribes : new int[] {0, 1}) {
      PilotWorld w = new PilotWorld(g -> g.plan(WarmUpPlan.builder().stages(200, 500).build()));
      w.intoPilot(ACME);
      w.at(1, "23:30");
      assertThat(count(w.send(ACME, 200), DispatchStatus.SENT)).isEqualTo(200);
      // the day's events counted, but no evaluation run: the standing is still good
      List<dev.steward.governance.Increment> counted = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        counted.add(
            dev.steward.governance.Increment.of(
                ACME, "d-" + i, dev.steward.governance.Counter.DELIVERED, w.clock.instant()));
      }
      for (int i = 0; i < unsubscribes; i++) {
        counted.add(
            dev.steward.governance.Increment.of(
                ACME, "u-" + i, dev.steward.governance.Counter.UNSUBSCRIBE, w.clock.instant()));
      }
      w.steward.stores().governanceMetrics().add(counted);
      w.at(2, "01:00");
      w.send(ACME);
      assertThat(w.steward.governance().standing(ACME).level()).isEqualTo(Level.NONE);
      stages.add(w.stage(ACME));
    }
    // 200 delivered, and 1 unsubscribe in 200 (0.5%, the warning threshold) holds the stage
    assertThat(stages).containsExactly(1, 0);
  }
}
