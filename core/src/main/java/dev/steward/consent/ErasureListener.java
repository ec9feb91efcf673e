package dev.steward.consent;

import dev.steward.model.ContactId;

/**
 * Erases what another store keeps about a contact when the {@link PreferenceCentre} erases the
 * contact (the deferred queue, the communication calendar, ...). Must be idempotent: a failed
 * erasure is retried by erasing again.
 */
@FunctionalInterface
public interface ErasureListener {

  /** A listener that does nothing. */
  ErasureListener NOOP = contact -> {};

  /** Deletes everything this store holds about the contact. */
  void erase(ContactId contact);
}
