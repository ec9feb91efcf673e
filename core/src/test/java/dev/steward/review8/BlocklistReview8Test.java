package dev.steward.review8;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Attestation;
import dev.steward.onboarding.CheckResult;
import dev.steward.onboarding.DnsBlocklist;
import dev.steward.onboarding.JndiDnsResolver;
import dev.steward.onboarding.ListSource;
import dev.steward.onboarding.SendingHistory;
import dev.steward.onboarding.TenantProfile;
import dev.steward.onboarding.Verdict;
import dev.steward.onboarding.VettingChecks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile review of the DNS blocklist vetting check. */
class BlocklistReview8Test {

  /**
   * DEFECT: a link domain of 240 characters is a valid domain and the profile accepts it, but
   * "<domain>.dbl.spamhaus.org" is longer than DNS allows; the default JNDI resolver refuses the
   * name by throwing InvalidOnboardingInputException, and the blocklist check throws it instead of
   * answering. One long (attacker-chosen) link domain turns the whole vetting checklist into an
   * exception. Correct: that domain is reported UNCHECKED (needs review) with the reason, the rest
   * of the check carries on.
   */
  @Test
  void aLongLinkDomainLeavesTheDomainUncheckedInsteadOfThrowing() {
    String label = "a".repeat(63);
    String longDomain = label + "." + label + "." + label + "." + "b".repeat(40) + ".example";
    assertThat(longDomain.length()).isLessThanOrEqualTo(253);
    TenantProfile profile =
        TenantProfile.builder()
            .businessName("Acme Bakery Ltd")
            .websiteDomain("acmebakery.com")
            .senderDomains("acmebakery.com")
            .linkDomains(longDomain)
            .businessDocuments("companies-house:01234567")
            .declaredMonthlyVolume(20_000)
            .sendingHistory(SendingHistory.ESTABLISHED)
            .kinds(MessageKind.TRANSACTIONAL)
            .doubleOptIn(true)
            .listSources(ListSource.SIGNUP_FORM)
            .attestation(
                new Attestation(
                    "jo@acmebakery.com", Instant.parse("2026-02-01T00:00:00Z"), "aup-3"))
            .sunsetAfter(Duration.ofDays(180))
            .build();
    JndiDnsResolver jndi =
        JndiDnsResolver.builder()
            .nameserver("127.0.0.1:9")
            .timeout(Duration.ofMillis(50))
            .retries(0)
            .build();

    CheckResult r =
        VettingChecks.blocklists(jndi, List.of(DnsBlocklist.of("dbl.spamhaus.org")))
            .check(TenantId.of("acme"), profile);

    assertThat(r.verdict()).isEqualTo(Verdict.NEEDS_REVIEW);
    assertThat(String.join("\n", r.evidence())).contains(longDomain);
  }

  /**
   * DEFECT: one lookup that throws (a resolver SPI failing on one name, or the JNDI resolver
   * refusing an over-long query name) aborts the whole blocklist check; VettingChecks.run then
   * turns it into "needs review: the check failed", and a domain that IS listed is no longer
   * reported: the checklist says NEEDS_REVIEW where it must say FAIL, and the evidence of the
   * listing is gone. Correct: the failing lookup is UNCHECKED on its own, the listed domain FAILs.
   */
  @Test
  void oneLookupThatThrowsDoesNotHideAListedDomain() {
    TenantProfile profile =
        TenantProfile.builder()
            .businessName("Acme Bakery Ltd")
            .websiteDomain("acmebakery.com")
            .senderDomains("acmebakery.com")
            .linkDomains("tracker.example")
            .businessDocuments("companies-house:01234567")
            .declaredMonthlyVolume(20_000)
            .sendingHistory(SendingHistory.ESTABLISHED)
            .kinds(MessageKind.TRANSACTIONAL)
            .doubleOptIn(true)
            .listSources(ListSource.SIGNUP_FORM)
            .attestation(
                new Attestation(
                    "jo@acmebakery.com", Instant.parse("2026-02-01T00:00:00Z"), "aup-3"))
            .sunsetAfter(Duration.ofDays(180))
            .build();
    dev.steward.onboarding.DnsResolver dns =
        (name, type) -> {
          if (name.equals("acmebakery.com.dbl.example")) {
            return dev.steward.onboarding.DnsResolver.Answer.found(List.of("127.0.1.2"));
          }
          if (name.startsWith("tracker.example")) {
            throw new IllegalStateException("resolver hiccup");
          }
          return dev.steward.onboarding.DnsResolver.Answer.notFound();
        };

    var report =
        VettingChecks.run(
            List.of(VettingChecks.blocklists(dns, List.of(DnsBlocklist.of("dbl.example")))),
            TenantId.of("acme"),
            profile);

    assertThat(report.verdict()).as(String.join("\n", report.lines())).isEqualTo(Verdict.FAIL);
  }
}
