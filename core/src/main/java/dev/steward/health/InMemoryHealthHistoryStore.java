package dev.steward.health;

import dev.steward.model.AccountId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link HealthHistoryStore} in memory, for one process and for tests. Thread-safe. */
public final class InMemoryHealthHistoryStore implements HealthHistoryStore {
  private final ConcurrentMap<AccountId, ConcurrentSkipListMap<Instant, HealthRecord>> records =
      new ConcurrentHashMap<>();

  @Override
  public void append(HealthRecord record) {
    Objects.requireNonNull(record, "record");
    records.computeIfAbsent(record.account(), a -> new ConcurrentSkipListMap<>()).put(record.asOf(), record);
  }

  @Override
  public List<HealthRecord> history(AccountId account, Instant from, Instant to) {
    NavigableMap<Instant, HealthRecord> m = records.get(account);
    if (m == null || !from.isBefore(to)) {
      return List.of();
    }
    return List.copyOf(m.subMap(from, true, to, false).values());
  }

  @Override
  public List<HealthRecord> recent(AccountId account, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative, got " + n);
    }
    NavigableMap<Instant, HealthRecord> m = records.get(account);
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
  public Optional<HealthRecord> atOrBefore(AccountId account, Instant at) {
    ConcurrentSkipListMap<Instant, HealthRecord> m = records.get(account);
    if (m == null) {
      return Optional.empty();
    }
    Map.Entry<Instant, HealthRecord> e = m.floorEntry(at);
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }

  @Override
  public Set<AccountId> accounts() {
    return Set.copyOf(records.keySet());
  }

  @Override
  public boolean erase(AccountId account) {
    return records.remove(account) != null;
  }
}
