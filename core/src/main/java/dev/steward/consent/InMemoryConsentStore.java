package dev.steward.consent;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/** A {@link ConsentStore} in memory, for one process and for tests. Thread-safe. */
public final class InMemoryConsentStore implements ConsentStore {

  private InMemoryConsentStore() {}

  /** An empty store. */
  public static InMemoryConsentStore of() {
    return new InMemoryConsentStore();
  }

  private final ConcurrentMap<Key, ContactConsent> consents = new ConcurrentHashMap<>();

  @Override
  public Optional<ContactConsent> find(TenantId tenant, ContactId contact) {
    return Optional.ofNullable(consents.get(key(tenant, contact)));
  }

  @Override
  public ContactConsent update(
      TenantId tenant, ContactId contact, UnaryOperator<ContactConsent> change) {
    Consents.required(change, "change");
    return consents.compute(
        key(tenant, contact),
        (k, current) -> {
          ContactConsent next =
              change.apply(current == null ? ContactConsent.empty(tenant, contact) : current);
          if (next == null) {
            throw new InvalidConsentException(
                "the consent change for " + tenant + "/" + contact + " returned null");
          }
          if (!next.contact().equals(contact) || !next.tenant().equals(tenant)) {
            throw new InvalidConsentException(
                "the consent change for "
                    + tenant
                    + "/"
                    + contact
                    + " returned consent of "
                    + next.tenant()
                    + "/"
                    + next.contact());
          }
          return next;
        });
  }

  @Override
  public boolean erase(TenantId tenant, ContactId contact) {
    return consents.remove(key(tenant, contact)) != null;
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    Consents.tenant(tenant);
    int removed = 0;
    for (Key k : consents.keySet()) {
      if (k.tenant().equals(tenant) && consents.remove(k) != null) {
        removed++;
      }
    }
    return removed;
  }

  private static Key key(TenantId tenant, ContactId contact) {
    return new Key(Consents.tenant(tenant), Consents.contact(contact));
  }

  /** The composite key: a contact id means nothing without its tenant. */
  private record Key(TenantId tenant, ContactId contact) {
    Key {
      Objects.requireNonNull(tenant);
      Objects.requireNonNull(contact);
    }
  }
}
