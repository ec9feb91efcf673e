package dev.steward.consent;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a tenant's suppression list holds about one address: its active suppressions (at most
 * one per reason and category) and the newest removal of each reason and category. Immutable.
 *
 * @param active the suppressions in force, in the order they were added
 * @param delistings the newest removal per reason and category
 */
public record AddressSuppressions(
    TenantId tenant, EmailAddress address, List<Suppression> active, List<Delisting> delistings) {

  public AddressSuppressions {
    Suppressions.required(tenant, "tenant");
    Suppressions.required(address, "address");
    active = List.copyOf(Suppressions.required(active, "active"));
    delistings = List.copyOf(Suppressions.required(delistings, "delistings"));
    Set<String> seen = new HashSet<>();
    for (Suppression s : active) {
      if (!s.tenant().equals(tenant) || !s.address().equals(address)) {
        throw new InvalidConsentException(
            "active: a suppression of "
                + s.tenant()
                + "/"
                + s.address().masked()
                + " is not one of "
                + tenant
                + "/"
                + address.masked());
      }
      if (!seen.add(s.reason() + "/" + s.category().orElse(""))) {
        throw new InvalidConsentException(
            "active: "
                + s.reason()
                + s.category().map(c -> " '" + c + "'").orElse("")
                + " is there twice");
      }
    }
    seen.clear();
    for (Delisting d : delistings) {
      if (!d.tenant().equals(tenant) || !d.address().equals(address)) {
        throw new InvalidConsentException(
            "delistings: a removal of "
                + d.tenant()
                + "/"
                + d.address().masked()
                + " is not one of "
                + tenant
                + "/"
                + address.masked());
      }
      if (!seen.add(d.reason() + "/" + d.category().orElse(""))) {
        throw new InvalidConsentException(
            "delistings: "
                + d.reason()
                + d.category().map(c -> " '" + c + "'").orElse("")
                + " is there twice");
      }
    }
  }

  /** An address the tenant's list has nothing about. */
  public static AddressSuppressions empty(TenantId tenant, EmailAddress address) {
    return new AddressSuppressions(tenant, address, List.of(), List.of());
  }

  /** True when some suppression is in force. */
  public boolean isSuppressed() {
    return !active.isEmpty();
  }

  /** The active suppression of {@code reason} (and category, for a group unsubscribe), if any. */
  public Optional<Suppression> active(SuppressionReason reason, Optional<String> category) {
    for (Suppression s : active) {
      if (s.sameKind(reason, category)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The newest removal of {@code reason} (and category), if any. */
  public Optional<Delisting> delisting(SuppressionReason reason, Optional<String> category) {
    for (Delisting d : delistings) {
      if (d.sameKind(reason, category)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
