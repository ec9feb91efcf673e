package dev.steward.onboarding;

import static dev.steward.onboarding.PilotWorld.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.governance.Level;
import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.testing.FakeSenderAuthentication;
import dev.steward.testing.StaticDnsResolver;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pilot over virtual weeks through a Steward with the tenant gate on: a good tenant passes the
 * onboarding phases and graduates; a slow day, a warning and idle weeks hold it back, drop it or
 * start it again; every decision carries the gate's reasons.
 */
class PilotScenarioTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final WarmUpPlan SMALL = WarmUpPlan.builder().stages(10, 20, 40, 80).build();

  private static Optional<Reason> tenantReason(DispatchResult r, String rule) {
    return r.decision().reasons().stream()
        .filter(x -> x.gate().equals(TenantGate.GATE) && x.rule().equals(rule))
        .findFirst();
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

  @Test
  void aGoodTenantPassesEveryPhaseAndGraduatesThePilotOverVirtualWeeks() {
    PilotWorld w = new PilotWorld(g -> g.plan(SMALL));
    w.fromDomain.put(ACME, "mail.acmebakery.com");
    StaticDnsResolver dns = StaticDnsResolver.of();
    FakeSenderAuthentication provider = FakeSenderAuthentication.over(dns, DnsFixtures.PROVIDER);
    OnboardingWorkflow workflow =
        OnboardingWorkflow.builder(w.clock, w.onboardingStore)
            .senderAuthentication(provider)
            .dnsResolver(dns)
            .build();
    TenantProfile profile = Profiles.good().build();

    DispatchResult early = w.send(ACME);
    assertThat(early.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(tenantReason(early, "not-enrolled").orElseThrow().detail())
        .contains("not enrolled in onboarding");

    workflow.enrol(ACME, PilotWorld.RULE);
    DispatchResult vetting = w.send(ACME);
    assertThat(vetting.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(tenantReason(vetting, "state-vetting").orElseThrow().detail())
        .contains("VETTING (phase 1, vetting)")
        .contains("no mail until it has passed vetting");
    assertThat(workflow.vet(ACME, profile).advanced()).isTrue();

    w.at(1, "10:00");
    DomainAuthentication auth = workflow.startDomainVerification(ACME, "mail.acmebakery.com");
    assertThat(tenantReason(w.send(ACME), "state-domain-verification").orElseThrow().detail())
        .contains("phase 2, sender domain verification");
    DnsFixtures.publish(dns, auth);
    dns.set("_dmarc.acmebakery.com", RecordType.TXT, "v=DMARC1; p=quarantine");
    assertThat(workflow.verifySenderDomains(ACME, List.of(auth.id())).advanced()).isTrue();

    w.at(2, "10:00");
    DispatchResult review = w.send(ACME);
    assertThat(review.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(tenantReason(review, "state-content-review").orElseThrow().effect())
        .isEqualTo(Outcome.SUPPRESS);
    PhaseOutcome content =
        workflow.reviewContent(
            ACME, List.of(newsletter()), ReviewContext.of(profile, UnsubscribeMechanism.GROUP));
    assertThat(content.record().state()).isEqualTo(OnboardingState.PILOT);
    // the provider authenticated the domain: the application's sender identities say so
    w.authenticate(ACME);
    assertThat(w.transport.sent()).isEmpty();

    // day 3: the first stage, 10 a day; an 11th waits for the next day
    List<DispatchResult> d3 = w.fullDay(ACME, 3);
    assertThat(count(d3, DispatchStatus.SENT)).isEqualTo(10);
    DispatchResult eleventh = w.send(ACME);
    assertThat(eleventh.status()).isEqualTo(DispatchStatus.DEFERRED);
    Reason capped = tenantReason(eleventh, "warm-up-stage-1").orElseThrow();
    assertThat(capped.detail()).contains("pilot stage 1 of 4 (10 a day)").contains("cap of 10");
    assertThat(capped.usage().orElseThrow().limit()).isEqualTo(10);
    assertThat(eleventh.decision().notBefore()).contains(Instant.parse("2026-06-05T00:00:00Z"));
    w.steward.dispatcher().cancelDeferred(ACME, eleventh.message().id());
    assertThat(tenantReason(d3.get(0), "warm-up-stage-1").orElseThrow().effect())
        .isEqualTo(Outcome.ALLOW);
    assertThat(tenantReason(d3.get(0), "sender-domain").orElseThrow().detail())
        .contains("mail.acmebakery.com is authenticated");

    // day 4: 10 delivered (at least 9): stage 2, 20 a day; but only 15 are sent that day
    List<DispatchResult> d4 = w.day(ACME, 4, 0.75);
    assertThat(w.stage(ACME)).isEqualTo(1);
    assertThat(count(d4, DispatchStatus.SENT)).isEqualTo(15);
    assertThat(w.gate.pilotState(ACME).orElseThrow().history().get(0).reason())
        .contains("10 delivered on 2026-06-04 (at least 9 needed)");

    // day 5: 15 delivered of 18 needed: the stage stays; a full day then moves it on
    w.fullDay(ACME, 5);
    assertThat(w.stage(ACME)).isEqualTo(1);
    w.fullDay(ACME, 6);
    assertThat(w.stage(ACME)).isEqualTo(2);
    w.fullDay(ACME, 7);
    assertThat(w.stage(ACME)).isEqualTo(3);
    assertThat(w.state(ACME)).isEqualTo(OnboardingState.PILOT);
    w.fullDay(ACME, 8);

    // day 9: the last stage (80) was delivered: the pilot is over, the tenant moves on
    w.at(9, "23:30");
    List<DispatchResult> d9 = w.send(ACME, 150);
    assertThat(count(d9, DispatchStatus.SENT)).isEqualTo(150);
    assertThat(w.gate.pilotState(ACME).orElseThrow().graduated()).isTrue();
    assertThat(w.state(ACME)).isEqualTo(OnboardingState.POOL_ASSIGNMENT);
    OnboardingRecord r = w.machine.find(ACME).orElseThrow();
    Transition last = r.transitions().get(r.transitions().size() - 1);
    assertThat(last.by()).isEqualTo(TenantGate.PILOT_RULE);
    assertThat(last.reason()).contains("80 delivered").contains("the pilot is over");
    assertThat(d9.get(0).decision().reasons())
        .filteredOn(x -> x.gate().equals(TenantGate.GATE))
        .extracting(Reason::rule)
        .containsExactly("state-pool-assignment", "sender-domain", "standing-none");

    // weeks later it still sends without a warm-up cap
    w.at(20, "09:00");
    assertThat(count(w.send(ACME, 300), DispatchStatus.SENT)).isEqualTo(300);
  }

  @Test
  void mailAheadOfThePaceIsDeferredToWhenItFitsNotRefused() {
    PilotWorld w = new PilotWorld(g -> g.plan(WarmUpPlan.builder().stages(240, 480).build()));
    w.intoPilot(ACME);
    w.at(1, "00:00");
    List<DispatchResult> burst = w.send(ACME, 10);
    assertThat(count(burst, DispatchStatus.SENT)).isEqualTo(10);
    DispatchResult ahead = w.send(ACME);
    assertThat(ahead.status()).isEqualTo(DispatchStatus.DEFERRED);
    Instant fits = Instant.parse("2026-06-02T00:06:00Z");
    assertThat(ahead.decision().notBefore()).contains(fits);
    Reason pace = tenantReason(ahead, "warm-up-stage-1").orElseThrow();
    assertThat(pace.effect()).isEqualTo(Outcome.DEFER);
    assertThat(pace.detail()).contains("ahead of the even pace").contains("10 allowed by now");
    assertThat(pace.usage().orElseThrow().used()).isEqualTo(10);
    assertThat(pace.allowedFrom()).contains(fits);

    w.clock.set(fits);
    assertThat(w.steward.runDue()).isGreaterThanOrEqualTo(1);
    assertThat(w.transport.sent()).extracting(m -> m.id()).contains(ahead.message().id());
    assertThat(w.pilotStore.count(ACME, java.time.LocalDate.parse("2026-06-02"))).isEqualTo(11);
  }

  @Test
  void aWarningDropsOneStageOnceAndFreezesTheRamp() {
    PilotWorld w = new PilotWorld(g -> g.plan(SMALL));
    w.intoPilot(ACME);
    w.fullDay(ACME, 1);
    w.fullDay(ACME, 2);
    w.fullDay(ACME, 3);
    w.at(4, "08:00");
    w.send(ACME);
    assertThat(w.stage(ACME)).isEqualTo(3);

    w.steward.governance().warn(ACME, "test: complaint from a mailbox provider");
    DispatchResult warned = w.send(ACME);
    assertThat(warned.status()).isEqualTo(DispatchStatus.SENT);
    assertThat(w.stage(ACME)).isEqualTo(2);
    StageChange drop = last(w.gate.pilotState(ACME).orElseThrow().history());
    assertThat(drop.reason())
        .contains("governance warn")
        .contains("complaint from a mailbox provider")
        .contains("from stage 4 (80 a day) to stage 3 (40 a day)");
    assertThat(tenantReason(warned, "standing-warn").orElseThrow().detail()).contains("warned");
    assertThat(tenantReason(warned, "warm-up-stage-3")).isPresent();

    // the same warning costs no second stage, and the ramp stays frozen while it lasts
    w.send(ACME, 3);
    assertThat(w.stage(ACME)).isEqualTo(2);
    w.fullDay(ACME, 4);
    w.fullDay(ACME, 5);
    assertThat(w.stage(ACME)).isEqualTo(2);
    assertThat(w.steward.governance().standing(ACME).level()).isEqualTo(Level.WARN);
  }

  @Test
  void thirtyIdleDaysStartTheWarmUpAgainAndTwentyNineDoNot() {
    PilotWorld w = new PilotWorld(g -> g.plan(SMALL));
    w.intoPilot(ACME);
    w.fullDay(ACME, 1);
    w.fullDay(ACME, 2);
    w.day(ACME, 3, 0.5); // stage 3 now, half sent: no advance from it
    assertThat(w.stage(ACME)).isEqualTo(2);

    // day 33: 29 whole days without mail (4 to 32): the stage is kept
    w.at(33, "12:00");
    w.send(ACME);
    assertThat(w.stage(ACME)).isEqualTo(2);

    // day 64: 30 whole days without mail (34 to 63): back to the first stage
    w.at(64, "12:00");
    DispatchResult back = w.send(ACME);
    assertThat(w.stage(ACME)).isZero();
    assertThat(last(w.gate.pilotState(ACME).orElseThrow().history()).reason())
        .contains("no mail for 30 whole days since 2026-07-04")
        .contains("back from stage 3 to stage 1 (10 a day)");
    assertThat(tenantReason(back, "warm-up-stage-1").orElseThrow().detail())
        .contains("pilot stage 1 of 4 (10 a day)");
  }

  @Test
  void suspensionRefusesQuarantinePassesReportedAndRestrictionCutsTheCap() {
    PilotWorld w = new PilotWorld(g -> g.plan(SMALL));
    w.intoPilot(ACME);
    w.at(1, "23:30");
    var gov = w.steward.governance();

    gov.override(ACME, Level.SUSPEND, "abuse report", "ops", Optional.empty());
    DispatchResult suspended = w.send(ACME);
    assertThat(suspended.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    // onboarding follows the standing (GovernanceSync): the gate refuses by the SUSPENDED state,
    // and the override's reason is on the onboarding trail, by the person who made it
    assertThat(tenantReason(suspended, "state-suspended").orElseThrow().detail())
        .contains("SUSPENDED")
        .contains("until a person lifts the suspension");
    Transition followed = last(w.machine.find(ACME).orElseThrow().transitions());
    assertThat(followed.to()).isEqualTo(OnboardingState.SUSPENDED);
    assertThat(followed.by()).isEqualTo(Actor.human("ops"));
    assertThat(followed.reason()).contains("abuse report");

    gov.override(ACME, Level.QUARANTINE, "moved to quarantine", "ops", Optional.empty());
    DispatchResult quarantined = w.send(ACME);
    assertThat(quarantined.status()).isEqualTo(DispatchStatus.SENT);
    Reason q = tenantReason(quarantined, "standing-quarantine").orElseThrow();
    assertThat(q.effect()).isEqualTo(Outcome.ALLOW);
    assertThat(q.detail()).contains("quarantine pool");

    gov.override(ACME, Level.RESTRICT, "bounces rising", "ops", Optional.empty());
    List<DispatchResult> restricted = w.send(ACME, 5);
    // one was sent while quarantined: 4 more fit under the cut cap of 5 (10 x 0.5)
    assertThat(count(restricted, DispatchStatus.SENT)).isEqualTo(4);
    DispatchResult over = restricted.get(4);
    assertThat(over.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(tenantReason(over, "restricted-cap").orElseThrow().detail())
        .contains("pilot stage 1 of 4 (10 a day) cut to 5 a day while restricted");

    // a person's hold in onboarding reaches governance too, and the gate refuses
    gov.clearOverride(ACME, "reviewed", "ops");
    gov.override(ACME, Level.NONE, "all clear", "ops", Optional.empty());
    w.machine.transition(ACME, OnboardingState.SUSPENDED, Actor.human("ops"), "manual hold");
    assertThat(gov.standing(ACME).level()).isEqualTo(Level.SUSPEND);
    assertThat(gov.standing(ACME).override().orElseThrow().reason()).contains("manual hold");
    DispatchResult held = w.send(ACME);
    assertThat(held.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(tenantReason(held, "state-suspended").orElseThrow().detail())
        .contains("until a person lifts the suspension");
  }

  private static <T> T last(List<T> l) {
    return l.get(l.size() - 1);
  }
}
