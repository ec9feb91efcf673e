package dev.steward.consent;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * The removal of one suppression from an address: a group resubscribe, or an operator delisting the
 * address with a note of why. Kept (the newest per reason and category) so that a late or replayed
 * event dated before it never suppresses the address again.
 *
 * @param category the category of the group unsubscribe removed; empty for every other reason
 * @param at when the suppression was removed
 * @param source who removed it ("provider:group-resubscribe", "operator:jane", ...)
 * @param note why, in words ("mailbox fixed, confirmed by phone"); never blank
 */
public record Delisting(
    TenantId tenant,
    EmailAddress address,
    SuppressionReason reason,
    Optional<String> category,
    Instant at,
    String source,
    String note) {

  public Delisting {
    Suppressions.required(tenant, "tenant");
    Suppressions.required(address, "address");
    Suppressions.required(reason, "reason");
    category = Suppressions.category(reason, category);
    Suppressions.instant(at, "at");
    source = Consents.source(source);
    note = Suppressions.note(note);
  }

  /** A removal of the suppression for a reason that names no category. */
  public static Delisting of(
      TenantId tenant,
      EmailAddress address,
      SuppressionReason reason,
      Instant at,
      String source,
      String note) {
    return new Delisting(tenant, address, reason, Optional.empty(), at, source, note);
  }

  /** A removal of the group unsubscribe from {@code category} (a resubscribe). */
  public static Delisting group(
      TenantId tenant,
      EmailAddress address,
      String category,
      Instant at,
      String source,
      String note) {
    return new Delisting(
        tenant,
        address,
        SuppressionReason.GROUP_UNSUBSCRIBE,
        Optional.of(Suppressions.required(category, "category")),
        at,
        source,
        note);
  }

  /** True when this removal concerns suppressions of {@code reason} (and category). */
  public boolean sameKind(SuppressionReason otherReason, Optional<String> otherCategory) {
    return reason == otherReason && category.equals(otherCategory);
  }
}
