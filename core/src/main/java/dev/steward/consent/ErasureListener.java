package dev.steward.consent;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;

/**
 * Erases what another store keeps about a contact when the {@link PreferenceCentre} erases the
 * contact (the deferred queue, the communication calendar, ...). Must be idempotent: a failed
 * erasure is retried by erasing again.
 */
@FunctionalInterface
public interface ErasureListener {

  /** A listener that does nothing. */
  ErasureListener NOOP = (tenant, contact) -> {};

  /**
   * Deletes everything this store holds about the tenant's contact, and nothing of another tenant.
   */
  void erase(TenantId tenant, ContactId contact);
}
