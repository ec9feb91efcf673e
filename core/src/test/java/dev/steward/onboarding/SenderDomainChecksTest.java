package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.testing.FakeSenderAuthentication;
import dev.steward.testing.StaticDnsResolver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPF, DKIM, DMARC presence and alignment of a sender domain, and the provider's validation. */
class SenderDomainChecksTest {
  private static final TenantId ACME = TenantId.of("acme");

  private final StaticDnsResolver dns = StaticDnsResolver.of();
  private final FakeSenderAuthentication provider =
      FakeSenderAuthentication.over(dns, DnsFixtures.PROVIDER);
  private final SenderDomainChecks checks = SenderDomainChecks.of(dns);

  private CheckReport verify(DomainAuthentication auth) {
    return checks.check(auth, provider.validate(ACME, auth.id()));
  }

  private static Verdict verdictOf(CheckReport r, String check) {
    return r.results().stream()
        .filter(c -> c.check().equals(check))
        .findFirst()
        .orElseThrow()
        .verdict();
  }

  @Test
  void theRecordsToShowTheTenantAreTheProvidersAndCreatingTwiceGivesTheSame() {
    DomainAuthentication a = provider.create(ACME, "AcmeBakery.com");

    assertThat(a.records())
        .extracting(DomainAuthentication.DnsRecord::host)
        .containsExactly(
            "em1000.acmebakery.com",
            "s1._domainkey.acmebakery.com",
            "s2._domainkey.acmebakery.com");
    assertThat(provider.create(ACME, "acmebakery.com")).isEqualTo(a);
    assertThat(provider.find(TenantId.of("globex"), a.id())).isEmpty();
  }

  @Test
  void aFullyPublishedDomainPassesEveryCheckFollowingTheCnames() {
    DomainAuthentication a = provider.create(ACME, "acmebakery.com");
    DnsFixtures.publish(dns, a);

    CheckReport r = verify(a);

    assertThat(r.problems()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.PASS);
    assertThat(r.results().get(1).evidence().get(0))
        .isEqualTo("em1000.acmebakery.com -> u1000.wl.sendgrid.example: FOUND");
    assertThat(provider.find(ACME, a.id()).orElseThrow().valid()).isTrue();
  }

  @Test
  void nothingPublishedFailsWithEachRecordNamed() {
    DomainAuthentication a = provider.create(ACME, "acmebakery.com");
    DnsFixtures.provider(dns, a);

    CheckReport r = verify(a);

    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.results().get(0).evidence())
        .contains("CNAME em1000.acmebakery.com: invalid, found NOT_FOUND []");
    assertThat(verdictOf(r, "spf")).isEqualTo(Verdict.FAIL);
    assertThat(verdictOf(r, "dkim")).isEqualTo(Verdict.FAIL);
    assertThat(verdictOf(r, "dmarc")).isEqualTo(Verdict.FAIL);
    assertThat(verdictOf(r, "dmarc-alignment")).isEqualTo(Verdict.FAIL);
  }

  @Test
  void dmarcIsFoundOnTheOrganisationalDomainAndStrictAlignmentIsHonoured() {
    DomainAuthentication a = provider.create(ACME, "news.acmebakery.com");
    DnsFixtures.publish(dns, a);
    dns.remove("_dmarc.news.acmebakery.com", RecordType.TXT);
    dns.set("_dmarc.acmebakery.com", RecordType.TXT, "v=DMARC1; p=reject; aspf=s");

    CheckReport r = verify(a);

    assertThat(verdictOf(r, "dmarc")).isEqualTo(Verdict.PASS);
    assertThat(r.results().get(3).evidence().get(0)).startsWith("_dmarc.acmebakery.com:");
    CheckResult align = r.results().get(4);
    assertThat(align.verdict()).as("DKIM d= equals the From domain").isEqualTo(Verdict.PASS);
    assertThat(align.evidence().get(0)).contains("aligned (strict)");
  }

  @Test
  void spfWithPlusAllOrTwoRecordsFailsAndADnsFailureIsUnchecked() {
    DomainAuthentication a = provider.create(ACME, "acmebakery.com");
    DnsFixtures.publish(dns, a);
    dns.set("u1000.wl." + DnsFixtures.PROVIDER, RecordType.TXT, "v=spf1 +all");
    assertThat(verdictOf(verify(a), "spf")).isEqualTo(Verdict.FAIL);
    dns.set("u1000.wl." + DnsFixtures.PROVIDER, RecordType.TXT, "v=spf1 -all", "v=spf1 a -all");
    assertThat(verify(a).results().get(1).summary()).contains("more than one SPF record");
    dns.fail("u1000.wl." + DnsFixtures.PROVIDER, RecordType.TXT, "SERVFAIL");
    assertThat(verdictOf(verify(a), "spf")).isEqualTo(Verdict.NEEDS_REVIEW);
    assertThat(verdictOf(verify(a), "dmarc-alignment"))
        .as("DKIM alone still aligns")
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void theFallbackPolicyIsData() {
    TenantProfile small = Profiles.good().declaredMonthlyVolume(3_000).build();
    TenantProfile big = Profiles.good().declaredMonthlyVolume(30_000).build();

    assertThat(SenderFallbackPolicy.none().fallbackFor(small)).isEmpty();
    assertThat(SenderFallbackPolicy.singleSender(5_000).fallbackFor(small)).isPresent();
    assertThat(SenderFallbackPolicy.singleSender(5_000).fallbackFor(big)).isEmpty();
    assertThat(SenderFallbackPolicy.onBehalfOf("Mail.ISV.example").fallbackFor(big))
        .contains("sends on behalf from the ISV's verified domain mail.isv.example");
    assertThatThrownBy(() -> SenderFallbackPolicy.onBehalfOf("not a domain"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("isvDomain");
    assertThatThrownBy(() -> provider.validate(ACME, "nope"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("'nope'");
    assertThat(List.of(SenderFallbackPolicy.Mode.values())).hasSize(3);
  }
}
