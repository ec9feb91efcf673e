package dev.steward.health;

import dev.steward.model.AccountId;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/** A {@link HealthBandStateStore} in memory, for one process and for tests. Thread-safe. */
public final class InMemoryHealthBandStateStore implements HealthBandStateStore {
  private final ConcurrentMap<AccountId, BandState> states = new ConcurrentHashMap<>();

  @Override
  public Optional<BandState> get(AccountId account) {
    return Optional.ofNullable(states.get(Objects.requireNonNull(account, "account")));
  }

  @Override
  public BandState update(AccountId account, UnaryOperator<BandState> change) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(change, "change");
    return states.compute(
        account, (a, current) -> Objects.requireNonNull(change.apply(current), "new band state"));
  }

  @Override
  public boolean remove(AccountId account) {
    return states.remove(Objects.requireNonNull(account, "account")) != null;
  }
}
