package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.util.List;
import java.util.Set;

/**
 * What {@link OnboardingRechecks} looks at again for a tenant: the domains its mail names (sender
 * and link domains, as its profile declared them at vetting or as the ISV knows them now) and its
 * sender-domain authentications at the provider. Implemented by the application, which keeps the
 * tenants' profiles; asked once per tenant per re-check.
 */
public interface RecheckTargets {
  /** The tenant's sender and link domains, looked up on the blocklists; may be empty. */
  Set<String> domains(TenantId tenant);

  /**
   * The ids of the tenant's domain authentications ({@link DomainAuthentication#id()}), validated
   * again with the provider and checked for SPF, DKIM and DMARC; none by default.
   */
  default List<String> authentications(TenantId tenant) {
    return List.of();
  }
}
