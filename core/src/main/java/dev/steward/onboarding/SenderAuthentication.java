package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.util.Optional;

/**
 * The provider's sender-domain authentication (phase 2): create an authentication for a tenant's
 * domain, show the DNS records it needs, and validate them. The SendGrid adapter implements it on
 * the domain authentication API; {@code dev.steward.testing.FakeSenderAuthentication} implements it
 * over a {@link DnsResolver} for tests.
 */
public interface SenderAuthentication {

  /** Creates (or returns the existing) authentication of {@code domain} for {@code tenant}. */
  DomainAuthentication create(TenantId tenant, String domain);

  /** The authentication {@code id} of {@code tenant}, if it exists. */
  Optional<DomainAuthentication> find(TenantId tenant, String id);

  /**
   * Asks the provider to check the records of authentication {@code id} now.
   *
   * @throws InvalidOnboardingInputException if the tenant has no such authentication
   */
  DomainValidation validate(TenantId tenant, String id);
}
