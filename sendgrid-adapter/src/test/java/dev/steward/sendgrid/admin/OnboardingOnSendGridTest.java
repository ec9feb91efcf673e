package dev.steward.sendgrid.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.Attestation;
import dev.steward.onboarding.CheckResult;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.onboarding.DomainAuthentication;
import dev.steward.onboarding.InMemoryOnboardingStore;
import dev.steward.onboarding.ListSource;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingWorkflow;
import dev.steward.onboarding.PhaseOutcome;
import dev.steward.onboarding.SendingHistory;
import dev.steward.onboarding.TenantProfile;
import dev.steward.onboarding.Verdict;
import dev.steward.onboarding.VettingCheck;
import dev.steward.testing.StaticDnsResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Core's onboarding phase 2 run on SendGrid's domain authentication: the tenant is shown SendGrid's
 * CNAMEs, fails while they are missing, and moves to content review once SendGrid and the DNS
 * checks find them.
 */
class OnboardingOnSendGridTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final String TARGET = "u1446226.wl227.sendgrid.net";

  private final MockWebServer server = new MockWebServer();
  private final StaticDnsResolver dns = StaticDnsResolver.of();
  private SendGridAdmin admin;
  private OnboardingWorkflow workflow;

  @BeforeEach
  void start() throws Exception {
    server.start();
    admin = AdminFixtures.admin(server, new AdminFixtures.Waits());
    VettingCheck passes =
        new VettingCheck() {
          @Override
          public String name() {
            return "test-pass";
          }

          @Override
          public CheckResult check(TenantId tenant, TenantProfile profile) {
            return CheckResult.pass("test-pass", "vetted elsewhere", List.of());
          }
        };
    workflow =
        OnboardingWorkflow.builder(AdminFixtures.CLOCK, InMemoryOnboardingStore.of())
            .vettingChecks(List.of(passes))
            .senderAuthentication(
                SendGridSenderAuthentication.of(
                    admin, TenantSubusers.of(Map.of(ACME, "tenant-acme"))))
            .dnsResolver(dns)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    server.shutdown();
  }

  private static TenantProfile profile() {
    return TenantProfile.builder()
        .businessName("Acme Ltd")
        .websiteDomain("acme.example")
        .senderDomains("acme.example")
        .linkDomains("acme.example")
        .businessDocuments("registry:0001")
        .declaredMonthlyVolume(20_000)
        .sendingHistory(SendingHistory.ESTABLISHED)
        .kinds(MessageKind.TRANSACTIONAL)
        .doubleOptIn(true)
        .listSources(ListSource.SIGNUP_FORM)
        .attestation(
            new Attestation("jo@acme.example", Instant.parse("2026-02-01T00:00:00Z"), "aup"))
        .sunsetAfter(Duration.ofDays(180))
        .build();
  }

  private static String validation(boolean cname, boolean dkim) {
    return "{\"id\":302183,\"valid\":"
        + (cname && dkim)
        + ",\"validation_results\":{\"mail_cname\":{\"valid\":"
        + cname
        + ",\"reason\":"
        + (cname ? "null" : "\"Expected CNAME to match \\\"" + TARGET + "\\\".\"")
        + "},\"dkim1\":{\"valid\":"
        + dkim
        + "},\"dkim2\":{\"valid\":"
        + dkim
        + "}}}";
  }

  @Test
  void phaseTwoPassesOnceSendGridAndTheDnsFindTheRecords() {
    workflow.enrol(ACME, Actor.rule("signup"));
    assertThat(workflow.vet(ACME, profile()).advanced()).isTrue();

    server.enqueue(new MockResponse().setBody("[]"));
    server.enqueue(
        new MockResponse()
            .setResponseCode(201)
            .setBody(SendGridSenderAuthenticationTest.domainJson(302183, "tenant-acme", false)));
    DomainAuthentication auth = workflow.startDomainVerification(ACME, "acme.example");
    assertThat(auth.records()).hasSize(3);

    // the workflow finds the authentication, then validates it (which reads its records again)
    for (int i = 0; i < 2; i++) {
      server.enqueue(
          new MockResponse()
              .setBody(SendGridSenderAuthenticationTest.domainJson(302183, "tenant-acme", false)));
    }
    server.enqueue(new MockResponse().setBody(validation(false, false)));
    PhaseOutcome early = workflow.verifySenderDomains(ACME, List.of(auth.id()));
    assertThat(early.advanced()).isFalse();
    assertThat(early.report().results())
        .filteredOn(r -> r.check().endsWith("provider-validation"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
              assertThat(String.join("\n", r.evidence()))
                  .contains("CNAME em7741.acme.example: invalid, Expected CNAME to match");
            });

    for (DomainAuthentication.DnsRecord r : auth.records()) {
      dns.set(r.host(), r.type(), r.value());
    }
    dns.set(TARGET, RecordType.TXT, "v=spf1 ip4:203.0.113.0/24 -all");
    dns.set("s1.domainkey." + TARGET, RecordType.TXT, "k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GN");
    dns.set("s2.domainkey." + TARGET, RecordType.TXT, "k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GO");
    dns.set("_dmarc.acme.example", RecordType.TXT, "v=DMARC1; p=quarantine");
    for (int i = 0; i < 2; i++) {
      server.enqueue(
          new MockResponse()
              .setBody(SendGridSenderAuthenticationTest.domainJson(302183, "tenant-acme", true)));
    }
    server.enqueue(new MockResponse().setBody(validation(true, true)));
    PhaseOutcome done = workflow.verifySenderDomains(ACME, List.of(auth.id()));
    assertThat(done.report().results()).allMatch(r -> r.verdict() == Verdict.PASS);
    assertThat(done.report().verdict()).isEqualTo(Verdict.PASS);
    // core's rule: after a failed verification a person clears the phase, even once fixed
    assertThat(done.advanced()).isFalse();
    workflow.decide(
        ACME,
        OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
        Verdict.PASS,
        Actor.human("alice"),
        "records published late; SendGrid validates them now");
    assertThat(workflow.find(ACME).orElseThrow().state()).isEqualTo(OnboardingState.CONTENT_REVIEW);
    assertThat(server.getRequestCount()).isEqualTo(8);
  }
}
