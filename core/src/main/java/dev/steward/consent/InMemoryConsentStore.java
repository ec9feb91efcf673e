package dev.steward.consent;

import dev.steward.model.ContactId;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/** A {@link ConsentStore} in memory, for one process and for tests. Thread-safe. */
public final class InMemoryConsentStore implements ConsentStore {

  private final ConcurrentMap<ContactId, ContactConsent> consents = new ConcurrentHashMap<>();

  @Override
  public Optional<ContactConsent> find(ContactId contact) {
    return Optional.ofNullable(consents.get(contact));
  }

  @Override
  public ContactConsent update(ContactId contact, UnaryOperator<ContactConsent> change) {
    return consents.compute(
        contact,
        (id, current) -> {
          ContactConsent next = change.apply(current == null ? ContactConsent.empty(id) : current);
          Objects.requireNonNull(next, "a consent change returned null");
          if (!next.contact().equals(id)) {
            throw new IllegalArgumentException(
                "a consent change for " + id + " returned consent of " + next.contact());
          }
          return next;
        });
  }

  @Override
  public boolean erase(ContactId contact) {
    return consents.remove(contact) != null;
  }
}
