package dev.steward.review8;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import dev.steward.onboarding.CheckReport;
import dev.steward.onboarding.CheckResult;
import dev.steward.onboarding.DnsResolver;
import dev.steward.onboarding.DnsResolver.Answer;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.onboarding.DomainAuthentication;
import dev.steward.onboarding.DomainValidation;
import dev.steward.onboarding.InvalidOnboardingInputException;
import dev.steward.onboarding.JndiDnsResolver;
import dev.steward.onboarding.SenderDomainChecks;
import dev.steward.onboarding.Verdict;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hostile review of the sender-domain checks (SPF, DKIM, DMARC). */
class SenderDomainReview8Test {
  private static final TenantId ACME = TenantId.of("acme");
  private static final String KEY = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC";

  /** A resolver over a map of name/type to TXT values. */
  private static final class MapDns implements DnsResolver {
    final Map<String, List<String>> txt = new HashMap<>();

    @Override
    public Answer resolve(String name, RecordType type) {
      if (type != RecordType.TXT) {
        return Answer.notFound();
      }
      List<String> v = txt.get(name);
      return v == null ? Answer.notFound() : Answer.found(v);
    }
  }

  private static DomainAuthentication auth(String domain) {
    return new DomainAuthentication(
        "a1", ACME, domain, "em." + domain, domain, List.of("s1"), List.of(), true);
  }

  private static DomainValidation valid() {
    return new DomainValidation("a1", true, List.of());
  }

  private static CheckResult result(CheckReport r, String check) {
    return r.results().stream().filter(c -> c.check().equals(check)).findFirst().orElseThrow();
  }

  /**
   * DEFECT: an SPF "all" mechanism without a qualifier has the default qualifier "+" (RFC 7208
   * section 4.6.2), so "v=spf1 include:... all" authorises every host on the internet exactly as
   * "+all" does; the check only looks for the literal text "+all" and passes it. Correct: FAIL, as
   * for "+all".
   */
  @Test
  void aBareAllInSpfAllowsEveryHostAndFails() {
    MapDns dns = new MapDns();
    dns.txt.put("em.acme.example", List.of("v=spf1 include:sendgrid.net all"));
    dns.txt.put("s1._domainkey.acme.example", List.of(KEY));
    dns.txt.put("_dmarc.acme.example", List.of("v=DMARC1; p=reject"));

    CheckReport r = SenderDomainChecks.of(dns).check(auth("acme.example"), valid());

    assertThat(result(r, "spf").verdict()).isEqualTo(Verdict.FAIL);
  }

  /**
   * DEFECT: DomainAuthentication validates its domains but not its DKIM selectors: a blank
   * selector, one with a space, or a null element is accepted (the null one with a bare
   * NullPointerException from List.copyOf), and the bad name only blows up later inside a DNS
   * lookup. Correct: InvalidOnboardingInputException naming dkimSelectors at construction.
   */
  @Test
  void badDkimSelectorsAreRefusedWhenTheAuthenticationIsMade() {
    for (List<String> selectors :
        List.of(List.of(" "), List.of("s 1"), List.of("s1..x"), Arrays.asList("s1", null))) {
      assertThatThrownBy(
              () ->
                  new DomainAuthentication(
                      "a1",
                      ACME,
                      "acme.example",
                      "em.acme.example",
                      "acme.example",
                      selectors,
                      List.of(),
                      true))
          .as("selectors %s", selectors)
          .isInstanceOf(InvalidOnboardingInputException.class)
          .hasMessageContaining("dkimSelectors");
    }
  }

  /**
   * DEFECT: a valid From domain near the 253-character limit is accepted, but the names the checks
   * derive from it (_dmarc.<domain>, s1._domainkey.<domain>) are longer than DNS allows, and the
   * default JNDI resolver throws InvalidOnboardingInputException out of check(): the whole report
   * is lost instead of the DKIM/DMARC checks failing with a reason. Correct: a report whose DKIM
   * and DMARC results explain that the name is too long.
   */
  @Test
  void aDomainNearTheLengthLimitGivesAReportNotAnException() {
    String label = "a".repeat(63);
    String domain = label + "." + label + "." + label + "." + "b".repeat(53) + ".example";
    assertThat(domain.length()).isLessThanOrEqualTo(253);
    DomainAuthentication a =
        new DomainAuthentication(
            "a1", ACME, domain, domain, domain, List.of("s1"), List.of(), true);
    JndiDnsResolver jndi =
        JndiDnsResolver.builder()
            .nameserver("127.0.0.1:9")
            .timeout(Duration.ofMillis(50))
            .retries(0)
            .build();

    CheckReport r = SenderDomainChecks.of(jndi).check(a, valid());

    assertThat(result(r, "dkim").verdict()).isNotEqualTo(Verdict.PASS);
  }

  /**
   * DEFECT: the organisational domain is "the last two labels" unless the suffix is in a short
   * list, so under any missing public suffix (co.at, edu.au, gov.au, ac.jp, go.jp, com.de-style
   * ccTLD second levels) two unrelated registrants count as one organisation: mail From
   * bakery.co.at signed d=attacker.co.at with attacker.co.at's SPF is reported "can pass DMARC",
   * while every receiver evaluates DMARC with the public suffix list and fails it. Correct: not
   * aligned (FAIL), e.g. by shipping the public suffix list or refusing to claim alignment across
   * an unknown second-level suffix.
   */
  @Test
  void twoRegistrantsUnderAPublicSuffixAreNotAligned() {
    MapDns dns = new MapDns();
    dns.txt.put("attacker.co.at", List.of("v=spf1 include:sendgrid.net -all"));
    dns.txt.put("s1._domainkey.attacker.co.at", List.of(KEY));
    dns.txt.put("_dmarc.bakery.co.at", List.of("v=DMARC1; p=reject"));
    DomainAuthentication a =
        new DomainAuthentication(
            "a1",
            ACME,
            "bakery.co.at",
            "attacker.co.at",
            "attacker.co.at",
            List.of("s1"),
            List.of(),
            true);

    CheckReport r = SenderDomainChecks.of(dns).check(a, valid());

    assertThat(result(r, "dmarc-alignment").verdict()).isEqualTo(Verdict.FAIL);
  }

  /**
   * DEFECT: for a subdomain From with no record of its own, DMARC applies the organisational
   * record's sp= tag (RFC 7489 section 6.3), but the check reads p= alone: with "p=reject; sp=none"
   * the report says "DMARC policy p=reject" for news.acme.example, whose mail is in fact only
   * monitored. The decision does not explain itself correctly. Correct: the summary names the
   * policy that applies, sp=none (monitoring only).
   */
  @Test
  void aSubdomainIsJudgedByTheOrganisationsSubdomainPolicy() {
    MapDns dns = new MapDns();
    dns.txt.put("em.news.acme.example", List.of("v=spf1 include:sendgrid.net -all"));
    dns.txt.put("s1._domainkey.news.acme.example", List.of(KEY));
    dns.txt.put("_dmarc.acme.example", List.of("v=DMARC1; p=reject; sp=none"));

    CheckReport r = SenderDomainChecks.of(dns).check(auth("news.acme.example"), valid());

    assertThat(result(r, "dmarc").summary()).contains("none").doesNotContain("p=reject");
  }
}
