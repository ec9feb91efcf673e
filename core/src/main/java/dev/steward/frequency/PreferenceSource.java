package dev.steward.frequency;

import dev.steward.consent.Frequency;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import java.util.List;

/** The tenant's contact's chosen frequency for a category, or null (the preference centre's). */
@FunctionalInterface
interface PreferenceSource {
  Frequency frequency(TenantId tenant, ContactId contact, String category);

  /**
   * The source to decide {@code messages} together with: the same answers, read for all of them at
   * once where the source reads a store (one read a batch instead of one a message).
   */
  default PreferenceSource forBatch(List<Message> messages) {
    return this;
  }
}
