package dev.steward.consent;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * One active reason why a tenant must not mail an address, kept by address because that is what the
 * provider reports.
 *
 * @param category the category a {@link SuppressionReason#GROUP_UNSUBSCRIBE} names, normalised as a
 *     message category; empty for every other reason
 * @param since when the address became suppressed for this reason
 * @param source where it came from ("provider:bounce", "operator:jane", "import", ...)
 */
public record Suppression(
    TenantId tenant,
    EmailAddress address,
    SuppressionReason reason,
    Optional<String> category,
    Instant since,
    String source) {

  public Suppression {
    Suppressions.required(tenant, "tenant");
    Suppressions.required(address, "address");
    Suppressions.required(reason, "reason");
    category = Suppressions.category(reason, category);
    Suppressions.instant(since, "since");
    source = Consents.source(source);
  }

  /** A suppression for a reason that names no category. */
  public static Suppression of(
      TenantId tenant,
      EmailAddress address,
      SuppressionReason reason,
      Instant since,
      String source) {
    return new Suppression(tenant, address, reason, Optional.empty(), since, source);
  }

  /** A group unsubscribe from {@code category}. */
  public static Suppression group(
      TenantId tenant, EmailAddress address, String category, Instant since, String source) {
    return new Suppression(
        tenant,
        address,
        SuppressionReason.GROUP_UNSUBSCRIBE,
        Optional.of(Suppressions.required(category, "category")),
        since,
        source);
  }

  /** True when this suppression and {@code other} stand for the same reason (and category). */
  public boolean sameKind(SuppressionReason otherReason, Optional<String> otherCategory) {
    return reason == otherReason && category.equals(otherCategory);
  }

  @Override
  public String toString() {
    return reason
        + category.map(c -> "('" + c + "')").orElse("")
        + " of "
        + address.masked()
        + " for tenant "
        + tenant
        + " since "
        + since
        + " ("
        + source
        + ")";
  }
}
