package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.util.Optional;

/**
 * The provider's link branding for a tenant's domain, apart from {@link SenderAuthentication} so
 * that a provider binding without it, and every implementation of that SPI, stay as they are:
 * create it (or return the existing one), show the records it needs, and validate them. {@link
 * #NOT_CONFIGURED}, the default, has none. The SendGrid adapter implements it on SendGrid's link
 * branding API.
 */
public interface LinkBranding {

  /**
   * No link branding: {@link #find} finds nothing, {@link #create} and {@link #validate} throw a
   * {@link LinkBrandingNotConfiguredException}, {@link #configured} is false.
   */
  LinkBranding NOT_CONFIGURED =
      new LinkBranding() {
        @Override
        public BrandedLinks create(TenantId tenant, String domain) {
          throw new LinkBrandingNotConfiguredException(
              "link branding is not configured: no provider binding offers it here (asked for "
                  + tenant
                  + ")");
        }

        @Override
        public Optional<BrandedLinks> find(TenantId tenant, String id) {
          return Optional.empty();
        }

        @Override
        public DomainValidation validate(TenantId tenant, String id) {
          throw new LinkBrandingNotConfiguredException(
              "link branding is not configured: nothing to validate for " + tenant);
        }

        @Override
        public boolean configured() {
          return false;
        }

        @Override
        public String toString() {
          return "LinkBranding.NOT_CONFIGURED";
        }
      };

  /** Creates (or returns the existing) link branding of {@code domain} for {@code tenant}. */
  BrandedLinks create(TenantId tenant, String domain);

  /** The link branding {@code id} of {@code tenant}, if it exists. */
  Optional<BrandedLinks> find(TenantId tenant, String id);

  /**
   * Asks the provider to check the records of link branding {@code id} now, record by record.
   *
   * @throws InvalidOnboardingInputException if the tenant has no such link branding
   */
  DomainValidation validate(TenantId tenant, String id);

  /** True unless this is {@link #NOT_CONFIGURED}. */
  default boolean configured() {
    return true;
  }
}
