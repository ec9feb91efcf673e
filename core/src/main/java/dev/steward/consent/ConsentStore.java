package dev.steward.consent;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Store of each contact's consent, keyed by tenant and contact: the same contact id under two
 * tenants is two contacts. Changes are read-modify-write under a lock per contact, so two instances
 * changing one contact at once lose neither change.
 *
 * <p>Tombstones need nothing of a store but {@link #update}: {@link PreferenceCentre#erase} stores
 * {@link ContactConsent#tombstone} (the erasure time, {@link ContactConsent#erasedAt()}, and
 * nothing else) through it, and a store keeps it like any other consent.
 */
public interface ConsentStore {

  /** The contact's consent (or tombstone), if anything was recorded. */
  Optional<ContactConsent> find(TenantId tenant, ContactId contact);

  /**
   * The consents (or tombstones) of several contacts of a tenant, by contact; contacts with nothing
   * recorded are absent from the map. The set-based form of {@link #find} for a batch of messages:
   * a database answers it in one statement per few hundred contacts. The default asks {@link #find}
   * for each contact.
   */
  default Map<ContactId, ContactConsent> findAll(TenantId tenant, Collection<ContactId> contacts) {
    if (contacts == null) {
      throw new InvalidConsentException("contacts must not be null");
    }
    Map<ContactId, ContactConsent> found = new LinkedHashMap<>();
    for (ContactId c : contacts) {
      find(tenant, c).ifPresent(consent -> found.put(c, consent));
    }
    return found;
  }

  /**
   * Applies {@code change} to the contact's current consent (or {@link ContactConsent#empty}) and
   * stores the result, atomically; returns what was stored. If {@code change} throws, nothing is
   * stored. The result must name the same tenant and contact.
   */
  ContactConsent update(TenantId tenant, ContactId contact, UnaryOperator<ContactConsent> change);

  /**
   * Deletes everything about the contact, a tombstone included; true if anything was there. Not how
   * the centre erases a contact (it keeps a tombstone, see {@link PreferenceCentre#erase}): use it
   * only to forget that a contact was ever erased.
   */
  boolean erase(TenantId tenant, ContactId contact);

  /**
   * Deletes the consent of every contact of the tenant, tombstones included; the number of contacts
   * removed.
   */
  int eraseTenant(TenantId tenant);
}
