package dev.steward.consent;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;

/**
 * A {@link SuppressionStore} in memory, for one process and for tests. Thread-safe; entries are
 * ordered by tenant and address, so a page is a range of the map.
 */
public final class InMemorySuppressionStore implements SuppressionStore {

  private InMemorySuppressionStore() {}

  /** An empty store. */
  public static InMemorySuppressionStore of() {
    return new InMemorySuppressionStore();
  }

  private final ConcurrentSkipListMap<Key, AddressSuppressions> entries =
      new ConcurrentSkipListMap<>();

  @Override
  public Optional<AddressSuppressions> find(TenantId tenant, EmailAddress address) {
    return Optional.ofNullable(entries.get(key(tenant, address)));
  }

  @Override
  public AddressSuppressions update(
      TenantId tenant, EmailAddress address, UnaryOperator<AddressSuppressions> change) {
    Suppressions.required(change, "change");
    // compute may apply the change more than once under contention; the SPI asks for a pure one
    return entries.compute(
        key(tenant, address),
        (k, current) -> {
          AddressSuppressions next =
              change.apply(current == null ? AddressSuppressions.empty(tenant, address) : current);
          return Suppressions.checkResult(tenant, address, next);
        });
  }

  @Override
  public List<AddressSuppressions> list(TenantId tenant, Optional<EmailAddress> after, int limit) {
    Suppressions.required(tenant, "tenant");
    Suppressions.page(after, limit);
    ConcurrentNavigableMap<Key, AddressSuppressions> range =
        after.isPresent()
            ? entries.subMap(new Key(tenant, after.get().value()), false, Key.last(tenant), true)
            : entries.subMap(Key.first(tenant), true, Key.last(tenant), true);
    List<AddressSuppressions> page = new ArrayList<>(Math.min(limit, 64));
    for (AddressSuppressions a : range.values()) {
      if (a.isSuppressed()) {
        page.add(a);
        if (page.size() == limit) {
          break;
        }
      }
    }
    return page;
  }

  @Override
  public boolean erase(TenantId tenant, EmailAddress address) {
    return entries.remove(key(tenant, address)) != null;
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    Suppressions.required(tenant, "tenant");
    int removed = 0;
    for (Map.Entry<Key, AddressSuppressions> e :
        entries.subMap(Key.first(tenant), true, Key.last(tenant), true).entrySet()) {
      if (entries.remove(e.getKey()) != null) {
        removed++;
      }
    }
    return removed;
  }

  private static Key key(TenantId tenant, EmailAddress address) {
    Suppressions.required(tenant, "tenant");
    Suppressions.required(address, "address");
    return new Key(tenant, address.value());
  }

  /**
   * Tenant, then address; {@code address} null stands before every address of its tenant and {@link
   * #LAST} after every one, so that a tenant's entries are one range.
   */
  private record Key(TenantId tenant, String address) implements Comparable<Key> {
    static final String LAST = "\uffff";
    private static final Comparator<String> ADDRESS =
        Comparator.nullsFirst(Comparator.naturalOrder());

    static Key first(TenantId tenant) {
      return new Key(tenant, null);
    }

    static Key last(TenantId tenant) {
      return new Key(tenant, LAST);
    }

    @Override
    public int compareTo(Key o) {
      int c = tenant.compareTo(o.tenant);
      return c != 0 ? c : ADDRESS.compare(address, o.address);
    }
  }
}
