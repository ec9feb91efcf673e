package dev.steward.consent;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;

/**
 * A contact whose consent changed, at a place in the store's change order ({@link
 * ConsentChangeFeed}): read its consent now to see what it is.
 *
 * @param sequence the change's place: greater than that of every change stored before it
 * @param tenant the tenant
 * @param contact the contact
 */
public record ConsentChange(long sequence, TenantId tenant, ContactId contact) {
  /** Checks the parts. */
  public ConsentChange {
    if (sequence <= 0) {
      throw new InvalidConsentException("change sequence must be positive, not " + sequence);
    }
    Consents.tenant(tenant);
    Consents.contact(contact);
  }
}
