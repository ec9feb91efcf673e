package dev.steward.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.PreferenceCentre;
import dev.steward.model.ContactId;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.onboarding.DnsResolver.RecordType;
import dev.steward.testing.SettableClock;
import dev.steward.testing.StaticDnsResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each built-in vetting check on good and bad profiles, with its evidence. */
class VettingChecksTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final DnsBlocklist DBL = DnsBlocklist.of("dbl.example.org");

  private static CheckResult only(VettingCheck c, TenantProfile p) {
    return c.check(ACME, p);
  }

  @Test
  void aGoodProfilePassesEveryProfileCheck() {
    CheckReport r = VettingChecks.run(VettingChecks.profileChecks(), ACME, Profiles.good().build());

    assertThat(r.problems()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.PASS);
    assertThat(r.results()).hasSize(8);
  }

  @Test
  void eachMissingDeclarationFailsItsOwnCheck() {
    TenantProfile p =
        TenantProfile.builder()
            .businessName("Spammy Inc")
            .websiteDomain("spammy.example")
            .senderDomains("spammy.example")
            .declaredMonthlyVolume(5_000_000)
            .sendingHistory(SendingHistory.NONE)
            .kinds(MessageKind.PROMOTIONAL)
            .doubleOptIn(false)
            .listSources(ListSource.SIGNUP_FORM, ListSource.PURCHASED, ListSource.SCRAPED)
            .build();

    CheckReport r = VettingChecks.run(VettingChecks.profileChecks(), ACME, p);

    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.results())
        .extracting(CheckResult::check, CheckResult::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("business-documents", Verdict.FAIL),
            org.assertj.core.groups.Tuple.tuple("volume-and-history", Verdict.NEEDS_REVIEW),
            org.assertj.core.groups.Tuple.tuple("kinds-of-email", Verdict.PASS),
            org.assertj.core.groups.Tuple.tuple("double-opt-in", Verdict.FAIL),
            org.assertj.core.groups.Tuple.tuple("list-sources", Verdict.FAIL),
            org.assertj.core.groups.Tuple.tuple("acceptable-use", Verdict.FAIL),
            org.assertj.core.groups.Tuple.tuple("sender-domain", Verdict.PASS),
            org.assertj.core.groups.Tuple.tuple("sunset-policy", Verdict.FAIL));
    assertThat(r.results().get(4).summary()).contains("[PURCHASED, SCRAPED]");
  }

  @Test
  void aFreeMailSenderDomainFailsWithoutJustificationAndNeedsReviewWithOne() {
    VettingCheck c = VettingChecks.senderDomainConsistency();
    TenantProfile bare = Profiles.good().senderDomains("GMAIL.com").build();
    TenantProfile justified =
        Profiles.good().senderDomains("gmail.com").senderDomainJustification("sole trader").build();

    assertThat(only(c, bare).verdict()).isEqualTo(Verdict.FAIL);
    assertThat(only(c, bare).evidence()).contains("gmail.com: free-mail domain");
    assertThat(only(c, justified).verdict()).isEqualTo(Verdict.NEEDS_REVIEW);
    assertThat(only(c, justified).evidence()).contains("justification: sole trader");
  }

  @Test
  void anUnrelatedSenderDomainNeedsAJustificationButASubdomainUnderATwoLevelSuffixIsRelated() {
    VettingCheck c = VettingChecks.senderDomainConsistency();
    TenantProfile unrelated = Profiles.good().senderDomains("other-brand.net").build();
    TenantProfile justified =
        Profiles.good()
            .senderDomains("other-brand.net")
            .senderDomainJustification("our second brand, same company number")
            .build();
    TenantProfile uk =
        Profiles.good().websiteDomain("bakery.co.uk").senderDomains("news.bakery.co.uk").build();
    TenantProfile otherUk =
        Profiles.good().websiteDomain("bakery.co.uk").senderDomains("cakes.co.uk").build();

    assertThat(only(c, unrelated).verdict()).isEqualTo(Verdict.FAIL);
    assertThat(only(c, justified).verdict()).isEqualTo(Verdict.PASS);
    assertThat(only(c, uk).verdict()).isEqualTo(Verdict.PASS);
    assertThat(only(c, otherUk).verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void blocklistAnswersIn127_255_255AreUncheckedNeverListed() {
    StaticDnsResolver dns =
        StaticDnsResolver.of()
            .set("acmebakery.com.dbl.example.org", RecordType.A, "127.255.255.254")
            .set("mail.acmebakery.com.dbl.example.org", RecordType.A, "127.255.255.255");
    CheckResult r = only(VettingChecks.blocklists(dns, List.of(DBL)), Profiles.good().build());

    assertThat(r.verdict()).isEqualTo(Verdict.NEEDS_REVIEW);
    assertThat(r.summary()).contains("unchecked");
    assertThat(r.evidence())
        .anySatisfy(e -> assertThat(e).startsWith("acmebakery.com on dbl.example.org: UNCHECKED"))
        .noneSatisfy(e -> assertThat(e).contains(": LISTED"));
  }

  @Test
  void aListedDomainFailsAndAFailedLookupIsUnchecked() {
    StaticDnsResolver dns =
        StaticDnsResolver.of()
            .set("shop.acmebakery.com.dbl.example.org", RecordType.A, "127.0.1.2")
            .fail("acmebakery.com.dbl.example.org", RecordType.A, "timeout");
    CheckResult r = only(VettingChecks.blocklists(dns, List.of(DBL)), Profiles.good().build());

    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.evidence())
        .contains(
            "shop.acmebakery.com on dbl.example.org: LISTED (FOUND [127.0.1.2])",
            "acmebakery.com on dbl.example.org: UNCHECKED (FAILED timeout)");
  }

  @Test
  void aKeyedZoneIsQueriedWithItsKeyAndTheKeyStaysOutOfTheEvidence() {
    StaticDnsResolver dns = StaticDnsResolver.of();
    DnsBlocklist dqs = DnsBlocklist.keyed("abc123key", "dbl.dq.spamhaus.net");
    CheckResult r = only(VettingChecks.blocklists(dns, List.of(dqs)), Profiles.good().build());

    assertThat(r.verdict()).isEqualTo(Verdict.PASS);
    assertThat(dns.asked()).contains("acmebakery.com.abc123key.dbl.dq.spamhaus.net A");
    assertThat(r.evidence()).allSatisfy(e -> assertThat(e).doesNotContain("abc123key"));
    assertThatThrownBy(() -> DnsBlocklist.keyed("a.b", "zen.dq.spamhaus.net"))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("key");
  }

  @Test
  void aKeyedIpListIsQueriedWithTheReversedAddressesTheDomainsResolveTo() {
    StaticDnsResolver dns =
        StaticDnsResolver.of()
            .set("acmebakery.com", RecordType.A, "203.0.113.5")
            .set("mail.acmebakery.com", RecordType.A, "203.0.113.9")
            .set("9.113.0.203.k3y.zen.dq.spamhaus.net", RecordType.A, "127.0.0.4")
            .fail("shop.acmebakery.com", RecordType.A, "timeout");
    DnsBlocklist zen = DnsBlocklist.keyedIpList("k3y", "zen.dq.spamhaus.net");

    CheckResult r = only(VettingChecks.blocklists(dns, List.of(zen)), Profiles.good().build());

    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.evidence())
        .containsExactly(
            "acmebakery.com (203.0.113.5) on <key>.zen.dq.spamhaus.net: NOT_LISTED (NOT_FOUND [])",
            "mail.acmebakery.com (203.0.113.9) on <key>.zen.dq.spamhaus.net: LISTED"
                + " (FOUND [127.0.0.4])",
            "shop.acmebakery.com on <key>.zen.dq.spamhaus.net: UNCHECKED (its address: timeout)");
    assertThat(dns.asked()).contains("5.113.0.203.k3y.zen.dq.spamhaus.net A");
  }

  @Test
  void anAnswerOutsideLoopbackIsUncheckedNotListed() {
    assertThat(DnsBlocklist.read(DnsResolver.Answer.found(List.of("198.51.100.7"))))
        .isEqualTo(DnsBlocklist.Listing.UNCHECKED);
    assertThat(DnsBlocklist.read(DnsResolver.Answer.found(List.of("127.0.0.2"))))
        .isEqualTo(DnsBlocklist.Listing.LISTED);
    assertThat(DnsBlocklist.read(DnsResolver.Answer.notFound()))
        .isEqualTo(DnsBlocklist.Listing.NOT_LISTED);
  }

  @Test
  void theDoubleOptInClaimIsCheckedAgainstTheConsentRecordsKept() {
    SettableClock clock = SettableClock.of(Instant.parse("2026-03-01T00:00:00Z"));
    InMemoryConsentStore store = InMemoryConsentStore.of();
    PreferenceCentre centre = PreferenceCentre.of(store, clock);
    List<ContactId> contacts = IntStream.range(0, 10).mapToObj(i -> ContactId.of("c" + i)).toList();
    for (ContactId c : contacts) {
      centre.requestConsent(ACME, c, "news", "signup-form");
    }
    clock.advance(Duration.ofMinutes(5));
    for (int i = 0; i < 6; i++) {
      centre.confirmConsent(ACME, contacts.get(i), "news", clock.instant());
    }
    VettingCheck c = VettingChecks.doubleOptInAgainstConsent(store, t -> contacts);

    CheckResult sixOfTen = only(c, Profiles.good().build());
    assertThat(sixOfTen.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(sixOfTen.evidence()).containsExactly("6 of 10 consenting contacts confirmed");
    assertThat(sixOfTen.summary()).contains("60.0%");

    for (int i = 6; i < 10; i++) {
      centre.confirmConsent(ACME, contacts.get(i), "news", clock.instant());
    }
    assertThat(only(c, Profiles.good().build()).verdict()).isEqualTo(Verdict.PASS);

    VettingCheck none = VettingChecks.doubleOptInAgainstConsent(store, t -> List.of());
    assertThat(only(none, Profiles.good().build()).summary()).contains("not verified");
  }

  @Test
  void listQualityIsCheckedAgainstPilotBouncesOnceThereAreEnough() {
    VettingCheck few = VettingChecks.listQuality(t -> Optional.of(new PilotSendStats(150, 40, 30)));
    VettingCheck bad =
        VettingChecks.listQuality(t -> Optional.of(new PilotSendStats(1000, 40, 30)));
    VettingCheck good =
        VettingChecks.listQuality(t -> Optional.of(new PilotSendStats(1000, 12, 5)));

    assertThat(only(few, Profiles.good().build()).verdict()).isEqualTo(Verdict.PASS);
    assertThat(only(few, Profiles.good().build()).summary()).contains("not verified");
    CheckResult r = only(bad, Profiles.good().build());
    assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.evidence()).contains("unknown users 3.00% (limit 2.00%)");
    assertThat(only(good, Profiles.good().build()).verdict()).isEqualTo(Verdict.PASS);
    assertThatThrownBy(() -> new PilotSendStats(10, 11, 0))
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("hardBounces");
  }

  @Test
  void aCheckThatThrowsIsRecordedAsNeedingReview() {
    VettingCheck broken =
        new VettingCheck() {
          @Override
          public String name() {
            return "registry-lookup";
          }

          @Override
          public CheckResult check(TenantId tenant, TenantProfile profile) {
            throw new IllegalStateException("registry down");
          }
        };
    CheckReport r = VettingChecks.run(List.of(broken), ACME, Profiles.good().build());

    assertThat(r.verdict()).isEqualTo(Verdict.NEEDS_REVIEW);
    assertThat(r.results().get(0).evidence()).containsExactly("registry down");
    assertThat(VettingChecks.run(List.of(), ACME, Profiles.good().build()).verdict())
        .as("an empty checklist shows nothing, so it cannot pass")
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void incompleteOrMalformedProfilesNameTheField() {
    assertField(() -> TenantProfile.builder().build(), "declaredMonthlyVolume");
    assertField(() -> Profiles.good().businessName(null).build(), "businessName");
    assertField(() -> Profiles.good().websiteDomain("acme..com").build(), "websiteDomain");
    assertField(() -> Profiles.good().senderDomains("bad_domain.com").build(), "senderDomains[0]");
    assertField(() -> Profiles.good().linkDomains("http://x.com").build(), "linkDomains[0]");
    assertField(() -> Profiles.good().declaredMonthlyVolume(0).build(), "declaredMonthlyVolume");
    assertField(() -> Profiles.good().sendingHistory(null).build(), "sendingHistory");
    assertField(() -> Profiles.good().sunsetAfter(Duration.ZERO).build(), "sunsetAfter");
    assertField(
        () ->
            TenantProfile.builder()
                .businessName("x")
                .websiteDomain("x.com")
                .senderDomains("x.com")
                .declaredMonthlyVolume(1)
                .sendingHistory(SendingHistory.NONE)
                .doubleOptIn(true)
                .listSources(ListSource.CHECKOUT)
                .build(),
        "kinds");
    assertField(
        () -> Profiles.good().senderDomainJustification("  ").build(), "senderDomainJustification");
  }

  private static void assertField(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidProfileException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining("'" + field + "'");
  }

  @Test
  void theJndiResolverHasNoDefaultNameserverAndReadsTxtChunks() {
    assertThatThrownBy(() -> JndiDnsResolver.builder().build())
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("never falls back to a public resolver");
    assertThatThrownBy(() -> JndiDnsResolver.builder().nameserver("dns://8.8.8.8"))
        .isInstanceOf(InvalidOnboardingInputException.class);
    assertThat(JndiDnsResolver.value(RecordType.TXT, "\"v=spf1 include:\" \"sendgrid.net ~all\""))
        .isEqualTo("v=spf1 include:sendgrid.net ~all");
    assertThat(JndiDnsResolver.value(RecordType.CNAME, "u123.wl.sendgrid.net."))
        .isEqualTo("u123.wl.sendgrid.net");
  }
}
