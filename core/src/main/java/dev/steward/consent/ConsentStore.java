package dev.steward.consent;

import dev.steward.model.ContactId;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Store of each contact's consent. Changes are read-modify-write under a lock per contact, so two
 * instances changing one contact at once lose neither change.
 */
public interface ConsentStore {

  /** The contact's consent, if anything was recorded. */
  Optional<ContactConsent> find(ContactId contact);

  /**
   * Applies {@code change} to the contact's current consent (or {@link ContactConsent#empty}) and
   * stores the result, atomically; returns what was stored. If {@code change} throws, nothing is
   * stored.
   */
  ContactConsent update(ContactId contact, UnaryOperator<ContactConsent> change);

  /** Deletes everything about the contact; true if anything was there. */
  boolean erase(ContactId contact);
}
