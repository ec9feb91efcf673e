package dev.steward.onboarding;

import java.util.Optional;

/**
 * What a tenant whose own domain cannot be authenticated may do instead, as data: nothing, send on
 * behalf from the ISV's own verified domain (From {@code tenant-name@isv-domain}, Reply-To the
 * tenant), or verify single sender addresses when its volume is low (and for tests).
 *
 * @param mode which fallback applies
 * @param isvDomain the ISV's authenticated domain, for {@link Mode#ON_BEHALF_OF_ISV_DOMAIN}
 * @param singleSenderMaxMonthlyVolume the highest declared monthly volume {@link
 *     Mode#SINGLE_SENDER} accepts
 */
public record SenderFallbackPolicy(
    Mode mode, Optional<String> isvDomain, long singleSenderMaxMonthlyVolume) {

  /** The default ceiling of single-sender verification: 5,000 emails a month. */
  public static final long DEFAULT_SINGLE_SENDER_MAX_MONTHLY_VOLUME = 5_000;

  public SenderFallbackPolicy {
    Checks.notNull("mode", mode);
    Checks.notNull("isvDomain", isvDomain);
    isvDomain = isvDomain.map(d -> Domains.normalise("isvDomain", d));
    if (mode == Mode.ON_BEHALF_OF_ISV_DOMAIN && isvDomain.isEmpty()) {
      throw new InvalidOnboardingInputException(
          "isvDomain is required for the fallback ON_BEHALF_OF_ISV_DOMAIN");
    }
    if (singleSenderMaxMonthlyVolume < 0) {
      throw new InvalidOnboardingInputException(
          "singleSenderMaxMonthlyVolume must not be negative, was " + singleSenderMaxMonthlyVolume);
    }
  }

  /** No fallback: a tenant must authenticate its own domain. */
  public static SenderFallbackPolicy none() {
    return new SenderFallbackPolicy(Mode.NONE, Optional.empty(), 0);
  }

  /** Send on behalf from the ISV's verified domain. */
  public static SenderFallbackPolicy onBehalfOf(String isvDomain) {
    return new SenderFallbackPolicy(
        Mode.ON_BEHALF_OF_ISV_DOMAIN, Optional.of(Checks.notNull("isvDomain", isvDomain)), 0);
  }

  /** Single-sender verification for tenants declaring at most {@code maxMonthlyVolume}. */
  public static SenderFallbackPolicy singleSender(long maxMonthlyVolume) {
    return new SenderFallbackPolicy(Mode.SINGLE_SENDER, Optional.empty(), maxMonthlyVolume);
  }

  /**
   * The fallback open to a tenant with {@code profile}, described for the audit trail; empty when
   * none is.
   */
  public Optional<String> fallbackFor(TenantProfile profile) {
    Checks.notNull("profile", profile);
    return switch (mode) {
      case NONE -> Optional.empty();
      case ON_BEHALF_OF_ISV_DOMAIN ->
          Optional.of("sends on behalf from the ISV's verified domain " + isvDomain.orElseThrow());
      case SINGLE_SENDER ->
          profile.declaredMonthlyVolume() <= singleSenderMaxMonthlyVolume
              ? Optional.of(
                  "single-sender verification: declared "
                      + profile.declaredMonthlyVolume()
                      + " a month, at most "
                      + singleSenderMaxMonthlyVolume)
              : Optional.empty();
    };
  }

  /** Which fallback a policy offers. */
  public enum Mode {
    /** None. */
    NONE,
    /** From an address on the ISV's authenticated domain. */
    ON_BEHALF_OF_ISV_DOMAIN,
    /** Verified single sender addresses, for low volume and tests. */
    SINGLE_SENDER
  }
}
