package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.util.List;

/**
 * A tenant's link branding: the click-tracked links, opens and images of its mail served from a
 * host under its own domain rather than the provider's, with the DNS records the tenant publishes
 * for it.
 *
 * @param id the provider's identifier
 * @param tenant the tenant
 * @param domain the sending domain the links are branded for
 * @param linkHost the host the links are served from ({@code url1234.example.com})
 * @param records the records to publish (CNAMEs, for SendGrid), in the provider's order
 * @param valid the provider's verdict when it last validated them
 */
public record BrandedLinks(
    String id,
    TenantId tenant,
    String domain,
    String linkHost,
    List<DomainAuthentication.DnsRecord> records,
    boolean valid) {
  public BrandedLinks {
    id = Checks.text("id", id, 200);
    Checks.notNull("tenant", tenant);
    domain = Domains.normaliseDnsName("domain", domain);
    linkHost = Domains.normaliseDnsName("linkHost", linkHost);
    records = List.copyOf(Checks.notNull("records", records));
    if (records.isEmpty()) {
      throw new InvalidOnboardingInputException("link branding of " + domain + " has no records");
    }
  }
}
