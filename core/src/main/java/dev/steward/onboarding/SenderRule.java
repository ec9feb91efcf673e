package dev.steward.onboarding;

import static dev.steward.onboarding.GateSupport.reason;

import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@link TenantGate}'s sender rule: a message's From address must be on a domain authenticated
 * for its tenant, unless the {@link SenderFallbackPolicy} covers it.
 */
final class SenderRule {
  private final SenderIdentities senders;
  private final SenderFallbackPolicy fallback;

  SenderRule(SenderIdentities senders, SenderFallbackPolicy fallback) {
    this.senders = senders;
    this.fallback = fallback;
  }

  /** The rule's reason for {@code message}: {@link Outcome#ALLOW} or {@link Outcome#SUPPRESS}. */
  Reason check(Message message) {
    TenantId tenant = message.tenant();
    Optional<EmailAddress> from = senders.from(message);
    if (from.isEmpty()) {
      return reason(
          "sender-unknown",
          Outcome.SUPPRESS,
          "no From address is known for this message of tenant " + tenant);
    }
    String domain = from.get().domain().toLowerCase(Locale.ROOT);
    if (senders.domainAuthenticated(tenant, domain)) {
      return reason(
          "sender-domain",
          Outcome.ALLOW,
          "From domain " + domain + " is authenticated for tenant " + tenant);
    }
    if (fallback.mode() == SenderFallbackPolicy.Mode.ON_BEHALF_OF_ISV_DOMAIN
        && fallback.isvDomain().orElseThrow().equals(domain)) {
      return reason(
          "sender-fallback",
          Outcome.ALLOW,
          "From domain "
              + domain
              + " is the ISV's authenticated domain: sent on behalf of tenant "
              + tenant
              + " (fallback policy)");
    }
    if (fallback.mode() == SenderFallbackPolicy.Mode.SINGLE_SENDER
        && senders.singleSenderVerified(tenant, from.get())) {
      return reason(
          "sender-fallback",
          Outcome.ALLOW,
          "From "
              + from.get().masked()
              + " is a verified single sender of tenant "
              + tenant
              + " (fallback policy)");
    }
    return reason(
        "sender-domain",
        Outcome.SUPPRESS,
        "From domain "
            + domain
            + " is not authenticated for tenant "
            + tenant
            + ", and the sender fallback policy ("
            + fallback.mode()
            + ") does not cover it");
  }
}
