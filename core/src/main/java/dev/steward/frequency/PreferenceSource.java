package dev.steward.frequency;

import dev.steward.consent.Frequency;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;

/** The tenant's contact's chosen frequency for a category, or null (the preference centre's). */
@FunctionalInterface
interface PreferenceSource {
  Frequency frequency(TenantId tenant, ContactId contact, String category);
}
