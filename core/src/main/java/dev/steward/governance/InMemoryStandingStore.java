package dev.steward.governance;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** A {@link StandingStore} in memory, for one process and tests. Thread-safe. */
public final class InMemoryStandingStore implements StandingStore {
  private final ConcurrentHashMap<TenantId, Standing> standings = new ConcurrentHashMap<>();

  private InMemoryStandingStore() {}

  /** An empty store. */
  public static InMemoryStandingStore of() {
    return new InMemoryStandingStore();
  }

  @Override
  public Optional<Standing> find(TenantId tenant) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    return Optional.ofNullable(standings.get(tenant));
  }

  @Override
  public Standing update(TenantId tenant, Instant now, UnaryOperator<Standing> change) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    InvalidGovernanceException.requireNonNull(now, "now");
    InvalidGovernanceException.requireNonNull(change, "change");
    return standings.compute(
        tenant,
        (t, current) ->
            checked(t, change.apply(current == null ? Standing.initial(t, now) : current)));
  }

  /** The same refusals in every store. */
  static Standing checked(TenantId tenant, Standing next) {
    if (next == null) {
      throw new InvalidGovernanceException("the standing change for " + tenant + " returned null");
    }
    if (!next.tenant().equals(tenant)) {
      throw new InvalidGovernanceException(
          "the standing change for " + tenant + " returned the standing of " + next.tenant());
    }
    return next;
  }

  @Override
  public boolean eraseTenant(TenantId tenant) {
    InvalidGovernanceException.requireNonNull(tenant, "tenant");
    return standings.remove(tenant) != null;
  }
}
