package dev.steward.review8;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.MessageKind;
import dev.steward.onboarding.Attestation;
import dev.steward.onboarding.InvalidOnboardingInputException;
import dev.steward.onboarding.ListSource;
import dev.steward.onboarding.SendingHistory;
import dev.steward.onboarding.TenantProfile;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Hostile review of the tenant profile's limits. */
class TenantProfileReview8Test {

  /**
   * DEFECT: every text of the profile has a length limit, but the lists of domains have no size
   * limit: a tenant can declare 50,000 link domains, and the blocklist check then makes one DNS
   * query per domain and zone (two seconds of time-out each on JNDI), holding the vetting for hours
   * and flooding the blocklist operator, which rate-limits (127.255.255.255) the whole
   * installation. Correct: the profile refuses more than a sane number of domains with an
   * InvalidOnboardingInputException naming linkDomains.
   */
  @Test
  void aProfileWithFiftyThousandLinkDomainsIsRefused() {
    String[] many = new String[50_000];
    for (int i = 0; i < many.length; i++) {
      many[i] = "l" + i + ".tracker.example";
    }
    assertThatThrownBy(
            () ->
                TenantProfile.builder()
                    .businessName("Acme Bakery Ltd")
                    .websiteDomain("acmebakery.com")
                    .senderDomains("acmebakery.com")
                    .linkDomains(many)
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
                    .build())
        .isInstanceOf(InvalidOnboardingInputException.class)
        .hasMessageContaining("linkDomains");
  }
}
