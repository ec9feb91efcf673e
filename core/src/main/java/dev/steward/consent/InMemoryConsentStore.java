package dev.steward.consent;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/**
 * A {@link ConsentStore} in memory, for one process and for tests, with its {@link
 * ConsentChangeFeed}. Thread-safe; updates run one at a time, so the feed's order is the order they
 * were stored in.
 */
public final class InMemoryConsentStore implements ConsentStore, ConsentChangeFeed {

  private InMemoryConsentStore() {}

  /** An empty store. */
  public static InMemoryConsentStore of() {
    return new InMemoryConsentStore();
  }

  private final ConcurrentMap<Key, ContactConsent> consents = new ConcurrentHashMap<>();

  /** Each contact's latest change number; written with {@link #consents} under this lock. */
  private final Map<Key, Long> sequences = new HashMap<>();

  private long lastSequence;

  @Override
  public Optional<ContactConsent> find(TenantId tenant, ContactId contact) {
    return Optional.ofNullable(consents.get(key(tenant, contact)));
  }

  @Override
  public ContactConsent update(
      TenantId tenant, ContactId contact, UnaryOperator<ContactConsent> change) {
    Consents.required(change, "change");
    synchronized (sequences) {
      ContactConsent stored = compute(tenant, contact, change);
      sequences.put(key(tenant, contact), ++lastSequence);
      return stored;
    }
  }

  private ContactConsent compute(
      TenantId tenant, ContactId contact, UnaryOperator<ContactConsent> change) {
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
  public List<ConsentChange> changesAfter(long sequence, int max) {
    ConsentChangeFeed.checkArguments(sequence, max);
    List<ConsentChange> out = new ArrayList<>();
    synchronized (sequences) {
      sequences.forEach(
          (k, seq) -> {
            if (seq > sequence) {
              out.add(new ConsentChange(seq, k.tenant(), k.contact()));
            }
          });
    }
    out.sort(Comparator.comparingLong(ConsentChange::sequence));
    return List.copyOf(out.subList(0, Math.min(max, out.size())));
  }

  @Override
  public boolean erase(TenantId tenant, ContactId contact) {
    Key k = key(tenant, contact);
    synchronized (sequences) {
      sequences.remove(k);
      return consents.remove(k) != null;
    }
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    Consents.tenant(tenant);
    int removed = 0;
    for (Key k : consents.keySet()) {
      if (k.tenant().equals(tenant)) {
        synchronized (sequences) {
          sequences.remove(k);
          if (consents.remove(k) != null) {
            removed++;
          }
        }
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
