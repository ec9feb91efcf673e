package dev.steward.onboarding;

import dev.steward.model.TenantId;
import dev.steward.onboarding.internal.StoreChecks;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An {@link OnboardingStore} in memory, for one process and tests. An erased tenant leaves its last
 * version behind (nothing else), so that its next enrolment continues from it. Reads take no lock;
 * writes take the store's monitor.
 */
public final class InMemoryOnboardingStore implements OnboardingStore {
  private final ConcurrentSkipListMap<TenantId, OnboardingRecord> records =
      new ConcurrentSkipListMap<>();
  private final ConcurrentHashMap<TenantId, Long> erasedVersions = new ConcurrentHashMap<>();

  /** An empty store. */
  public static InMemoryOnboardingStore of() {
    return new InMemoryOnboardingStore();
  }

  private InMemoryOnboardingStore() {}

  @Override
  public Optional<OnboardingRecord> find(TenantId tenant) {
    Checks.notNull("tenant", tenant);
    return Optional.ofNullable(records.get(tenant));
  }

  @Override
  public synchronized boolean insert(OnboardingRecord record) {
    StoreChecks.insert(record);
    if (records.containsKey(record.tenant())) {
      return false;
    }
    Long erased = erasedVersions.remove(record.tenant());
    records.put(record.tenant(), erased == null ? record : StoreChecks.after(erased, record));
    return true;
  }

  @Override
  public synchronized boolean replace(long expectedVersion, OnboardingRecord next) {
    StoreChecks.replace(expectedVersion, next);
    OnboardingRecord current = records.get(next.tenant());
    if (current == null || current.version() != expectedVersion) {
      return false;
    }
    records.put(next.tenant(), next);
    return true;
  }

  @Override
  public List<TenantId> list(OnboardingState state, Optional<TenantId> after, int limit) {
    StoreChecks.list(state, after, limit);
    var tail = after.isPresent() ? records.tailMap(after.get(), false) : records;
    return tail.values().stream()
        .filter(r -> r.state() == state)
        .map(OnboardingRecord::tenant)
        .limit(limit)
        .toList();
  }

  @Override
  public boolean erased(TenantId tenant) {
    Checks.notNull("tenant", tenant);
    return erasedVersions.containsKey(tenant) && !records.containsKey(tenant);
  }

  @Override
  public synchronized boolean eraseTenant(TenantId tenant) {
    Checks.notNull("tenant", tenant);
    OnboardingRecord gone = records.remove(tenant);
    if (gone == null) {
      return false;
    }
    erasedVersions.put(tenant, gone.version());
    return true;
  }
}
