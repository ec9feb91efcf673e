package dev.steward.onboarding;

import dev.steward.model.TenantId;
import dev.steward.onboarding.internal.StoreChecks;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** An {@link OnboardingStore} in memory, for one process and tests. */
public final class InMemoryOnboardingStore implements OnboardingStore {
  private final ConcurrentSkipListMap<TenantId, OnboardingRecord> records =
      new ConcurrentSkipListMap<>();

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
  public boolean insert(OnboardingRecord record) {
    StoreChecks.insert(record);
    return records.putIfAbsent(record.tenant(), record) == null;
  }

  @Override
  public boolean replace(long expectedVersion, OnboardingRecord next) {
    StoreChecks.replace(expectedVersion, next);
    boolean[] done = {false};
    records.computeIfPresent(
        next.tenant(),
        (t, current) -> {
          // a skip list may call this more than once and keep only the last call's answer (it
          // swaps values by compare-and-set), so the flag must say what the last call did
          done[0] = current.version() == expectedVersion;
          return done[0] ? next : current;
        });
    return done[0];
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
  public boolean eraseTenant(TenantId tenant) {
    Checks.notNull("tenant", tenant);
    return records.remove(tenant) != null;
  }
}
