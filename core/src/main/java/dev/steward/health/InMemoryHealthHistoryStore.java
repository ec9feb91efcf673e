package dev.steward.health;

import static dev.steward.health.InvalidHealthInputException.requireNonNull;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link HealthHistoryStore} in memory, for one process and for tests. Thread-safe. */
public final class InMemoryHealthHistoryStore implements HealthHistoryStore {

  private InMemoryHealthHistoryStore() {}

  /** An empty store. */
  public static InMemoryHealthHistoryStore of() {
    return new InMemoryHealthHistoryStore();
  }

  private final ConcurrentMap<TenantAccount, ConcurrentSkipListMap<Instant, HealthRecord>> records =
      new ConcurrentHashMap<>();

  @Override
  public void append(HealthRecord record) {
    requireNonNull(record, "health record");
    records
        .computeIfAbsent(
            new TenantAccount(record.tenant(), record.account()),
            a -> new ConcurrentSkipListMap<>())
        .put(record.asOf(), record);
  }

  @Override
  public List<HealthRecord> history(TenantId tenant, AccountId account, Instant from, Instant to) {
    TenantAccount key = TenantAccount.of(tenant, account);
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    NavigableMap<Instant, HealthRecord> m = records.get(key);
    if (m == null || !from.isBefore(to)) {
      return List.of();
    }
    return List.copyOf(m.subMap(from, true, to, false).values());
  }

  @Override
  public List<HealthRecord> recent(TenantId tenant, AccountId account, int n) {
    TenantAccount key = TenantAccount.of(tenant, account);
    if (n < 0) {
      throw new InvalidHealthInputException("n must not be negative, got " + n);
    }
    NavigableMap<Instant, HealthRecord> m = records.get(key);
    if (m == null) {
      return List.of();
    }
    List<HealthRecord> out = new ArrayList<>(n);
    for (Map.Entry<Instant, HealthRecord> e : m.descendingMap().entrySet()) {
      if (out.size() == n) {
        break;
      }
      out.add(e.getValue());
    }
    Collections.reverse(out);
    return List.copyOf(out);
  }

  @Override
  public Optional<HealthRecord> atOrBefore(TenantId tenant, AccountId account, Instant at) {
    TenantAccount key = TenantAccount.of(tenant, account);
    requireNonNull(at, "at");
    ConcurrentSkipListMap<Instant, HealthRecord> m = records.get(key);
    if (m == null) {
      return Optional.empty();
    }
    Map.Entry<Instant, HealthRecord> e = m.floorEntry(at);
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }

  @Override
  public Set<AccountId> accounts(TenantId tenant) {
    requireNonNull(tenant, "tenant");
    Set<AccountId> out = new LinkedHashSet<>();
    for (Map.Entry<TenantAccount, ConcurrentSkipListMap<Instant, HealthRecord>> e :
        records.entrySet()) {
      if (e.getKey().tenant().equals(tenant) && !e.getValue().isEmpty()) {
        out.add(e.getKey().account());
      }
    }
    return Collections.unmodifiableSet(out);
  }

  @Override
  public boolean erase(TenantId tenant, AccountId account) {
    return records.remove(TenantAccount.of(tenant, account)) != null;
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    requireNonNull(tenant, "tenant");
    int removed = 0;
    for (TenantAccount key : List.copyOf(records.keySet())) {
      if (key.tenant().equals(tenant)) {
        ConcurrentSkipListMap<Instant, HealthRecord> m = records.remove(key);
        if (m != null) {
          removed += m.size();
        }
      }
    }
    return removed;
  }
}
