package dev.steward.consent;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one contact has said about the mail they want: a global opt-out of non-account mail,
 * per-category subscriptions with a chosen frequency, and the evidence records. Immutable.
 *
 * @param tenant the tenant the contact belongs to: the same contact id under another tenant is
 *     another contact
 * @param optedOutAt when the contact opted out of all marketing mail, or null
 * @param subscriptions the per-category choices, keyed by category
 * @param records the evidence, oldest first
 */
public record ContactConsent(
    TenantId tenant,
    ContactId contact,
    Instant optedOutAt,
    Map<String, Subscription> subscriptions,
    List<ConsentRecord> records) {

  public ContactConsent {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(contact, "contact");
    subscriptions = Map.copyOf(subscriptions);
    records = List.copyOf(records);
  }

  /** A contact that has said nothing yet. */
  public static ContactConsent empty(TenantId tenant, ContactId contact) {
    return new ContactConsent(tenant, contact, null, Map.of(), List.of());
  }

  /** True when the contact opted out of all non-account mail. */
  public boolean optedOut() {
    return optedOutAt != null;
  }

  /** The contact's choice for a category, if any. */
  public Optional<Subscription> subscription(String category) {
    return Optional.ofNullable(subscriptions.get(category));
  }
}
