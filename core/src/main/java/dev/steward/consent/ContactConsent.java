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
 * per-category subscriptions with a chosen frequency, and the evidence records; and, once the
 * contact was erased, when. Immutable.
 *
 * <p>An erased contact is kept as a <em>tombstone</em>: its erasure time and nothing else (see
 * {@link #tombstone}). The {@link PreferenceCentre} then ignores every change dated at or before
 * the erasure, so a provider event accepted before the erasure and applied after it cannot bring
 * the contact back. A change dated after the erasure (the person signs up again) applies and keeps
 * the erasure time.
 *
 * @param tenant the tenant the contact belongs to: the same contact id under another tenant is
 *     another contact
 * @param optedOutAt when the contact opted out of all marketing mail, or null
 * @param subscriptions the per-category choices, keyed by category
 * @param records the evidence, oldest first
 * @param erasedAt when the contact was last erased, if ever
 */
public record ContactConsent(
    TenantId tenant,
    ContactId contact,
    Optional<Instant> optedOutAt,
    Map<String, Subscription> subscriptions,
    List<ConsentRecord> records,
    Optional<Instant> erasedAt) {

  public ContactConsent {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(contact, "contact");
    Objects.requireNonNull(optedOutAt, "optedOutAt");
    subscriptions = Map.copyOf(subscriptions);
    records = List.copyOf(records);
    Objects.requireNonNull(erasedAt, "erasedAt");
  }

  /** The consent of a contact never erased. */
  public ContactConsent(
      TenantId tenant,
      ContactId contact,
      Instant optedOutAt,
      Map<String, Subscription> subscriptions,
      List<ConsentRecord> records) {
    this(
        tenant, contact, Optional.ofNullable(optedOutAt), subscriptions, records, Optional.empty());
  }

  /** A contact that has said nothing yet, and was never erased. */
  public static ContactConsent empty(TenantId tenant, ContactId contact) {
    return new ContactConsent(tenant, contact, null, Map.of(), List.of());
  }

  /** The tombstone of a contact erased at {@code erasedAt}: that time and nothing else. */
  public static ContactConsent tombstone(TenantId tenant, ContactId contact, Instant erasedAt) {
    Objects.requireNonNull(erasedAt, "erasedAt");
    return new ContactConsent(
        tenant, contact, Optional.empty(), Map.of(), List.of(), Optional.of(erasedAt));
  }

  /** True when the contact opted out of all non-account mail. */
  public boolean optedOut() {
    return optedOutAt.isPresent();
  }

  /** The contact's choice for a category, if any. */
  public Optional<Subscription> subscription(String category) {
    return Optional.ofNullable(subscriptions.get(category));
  }
}
