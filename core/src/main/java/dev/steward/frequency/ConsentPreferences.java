package dev.steward.frequency;

import dev.steward.consent.ConsentStore;
import dev.steward.consent.ContactConsent;
import dev.steward.consent.Frequency;
import dev.steward.consent.Subscription;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The frequencies each contact chose in the preference centre's consent store, read one contact at
 * a time, or a batch's contacts at once.
 */
final class ConsentPreferences implements PreferenceSource {
  private final ConsentStore consent;

  ConsentPreferences(ConsentStore consent) {
    this.consent = consent;
  }

  @Override
  public Frequency frequency(TenantId tenant, ContactId contact, String category) {
    // no lambda over the category: one was made for every decision, found or not
    Optional<ContactConsent> found = consent.find(tenant, contact);
    return found.isPresent() ? of(found.get(), category) : null;
  }

  private static Frequency of(ContactConsent c, String category) {
    return c.subscription(category).map(Subscription::frequency).orElse(null);
  }

  @Override
  public PreferenceSource forBatch(List<Message> messages) {
    if (messages.size() < 2) {
      return this;
    }
    Map<TenantId, Set<ContactId>> contacts = new LinkedHashMap<>();
    for (Message m : messages) {
      contacts.computeIfAbsent(m.tenant(), t -> new LinkedHashSet<>()).add(m.contact());
    }
    Map<TenantId, Map<ContactId, ContactConsent>> read = new HashMap<>();
    contacts.forEach((tenant, ids) -> read.put(tenant, consent.findAll(tenant, ids)));
    // a contact not read (another tenant, a message not in the batch) is read alone, as before
    return (tenant, contact, category) -> {
      Map<ContactId, ContactConsent> known = read.get(tenant);
      if (known == null || !contacts.get(tenant).contains(contact)) {
        return frequency(tenant, contact, category);
      }
      ContactConsent c = known.get(contact);
      return c == null ? null : of(c, category);
    };
  }
}
