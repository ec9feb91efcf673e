package dev.steward.onboarding;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the content checks know of the tenant whose samples they review.
 *
 * @param businessName the name the mail must identify the sender by
 * @param ownDomains the tenant's website, sender and link domains: links and From must align with
 *     them
 * @param mechanism the unsubscribe mechanism chosen, if one was
 */
public record ReviewContext(
    String businessName, Set<String> ownDomains, Optional<UnsubscribeMechanism> mechanism) {
  public ReviewContext {
    businessName = Checks.text("businessName", businessName, 300);
    Checks.notNull("ownDomains", ownDomains);
    Set<String> d = new LinkedHashSet<>();
    int i = 0;
    for (String s : ownDomains) {
      d.add(Domains.normalise("ownDomains[" + i++ + "]", s));
    }
    if (d.isEmpty()) {
      throw new InvalidOnboardingInputException("ownDomains must name at least one domain");
    }
    ownDomains = Set.copyOf(d);
    Checks.notNull("mechanism", mechanism);
  }

  /** The context of a tenant with {@code profile} that chose {@code mechanism} (may be null). */
  public static ReviewContext of(TenantProfile profile, UnsubscribeMechanism mechanism) {
    Checks.notNull("profile", profile);
    Set<String> d = new LinkedHashSet<>();
    d.add(profile.websiteDomain());
    d.addAll(profile.senderDomains());
    d.addAll(profile.linkDomains());
    return new ReviewContext(profile.businessName(), d, Optional.ofNullable(mechanism));
  }

  /** True when {@code domain} shares its organisational domain with one of the tenant's. */
  public boolean isOwn(String domain) {
    return ownDomains.stream().anyMatch(d -> Domains.relaxedAligned(d, domain));
  }
}
