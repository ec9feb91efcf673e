package dev.steward.health;

import static dev.steward.health.InvalidHealthInputException.requireNonNull;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/** A {@link HealthBandStateStore} in memory, for one process and for tests. Thread-safe. */
public final class InMemoryHealthBandStateStore implements HealthBandStateStore {

  private InMemoryHealthBandStateStore() {}

  /** An empty store. */
  public static InMemoryHealthBandStateStore of() {
    return new InMemoryHealthBandStateStore();
  }

  private final ConcurrentMap<TenantAccount, BandState> states = new ConcurrentHashMap<>();

  @Override
  public Optional<BandState> get(TenantId tenant, AccountId account) {
    return Optional.ofNullable(states.get(TenantAccount.of(tenant, account)));
  }

  @Override
  public BandUpdate update(TenantId tenant, AccountId account, UnaryOperator<BandState> change) {
    TenantAccount key = TenantAccount.of(tenant, account);
    requireNonNull(change, "change");
    while (true) {
      // compare-and-set: the change runs outside any lock and counts only if nothing moved
      // meanwhile
      BandState current = states.get(key);
      BandState next = requireNonNull(change.apply(current), "new band state");
      boolean set =
          current == null
              ? states.putIfAbsent(key, next) == null
              : states.replace(key, current, next);
      if (set) {
        return new BandUpdate(current, next);
      }
    }
  }

  @Override
  public boolean remove(TenantId tenant, AccountId account) {
    return states.remove(TenantAccount.of(tenant, account)) != null;
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    requireNonNull(tenant, "tenant");
    int removed = 0;
    for (TenantAccount key : List.copyOf(states.keySet())) {
      if (key.tenant().equals(tenant) && states.remove(key) != null) {
        removed++;
      }
    }
    return removed;
  }
}
