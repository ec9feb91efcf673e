package dev.steward.onboarding;

import dev.steward.model.MessageKind;
import java.time.Duration;
import java.time.Instant;

/** Tenant profiles for the onboarding tests. */
final class Profiles {
  private Profiles() {}

  /** A profile every built-in profile check passes, for a builder to change one field of. */
  static TenantProfile.Builder good() {
    return TenantProfile.builder()
        .businessName("Acme Bakery Ltd")
        .websiteDomain("acmebakery.com")
        .senderDomains("mail.acmebakery.com", "acmebakery.com")
        .linkDomains("shop.acmebakery.com")
        .businessDocuments("companies-house:01234567")
        .declaredMonthlyVolume(20_000)
        .sendingHistory(SendingHistory.ESTABLISHED)
        .kinds(MessageKind.TRANSACTIONAL, MessageKind.PROMOTIONAL)
        .doubleOptIn(true)
        .listSources(ListSource.SIGNUP_FORM, ListSource.CHECKOUT)
        .attestation(
            new Attestation("jo@acmebakery.com", Instant.parse("2026-02-01T00:00:00Z"), "aup-3"))
        .sunsetAfter(Duration.ofDays(180));
  }
}
