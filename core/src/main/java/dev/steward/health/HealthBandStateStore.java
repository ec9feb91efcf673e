package dev.steward.health;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a {@link HealthMonitor} keeps each account's confirmed band and its run of evaluations
 * towards another band, per tenant: the same account id under two tenants is two accounts. Give
 * several monitor instances one shared store (the JDBC one) and they confirm and alert as a single
 * monitor would. A null argument is refused with an {@link InvalidHealthInputException} naming it.
 * Implementations are thread-safe; {@link InMemoryHealthBandStateStore} is the default.
 */
public interface HealthBandStateStore {

  /**
   * An account's band state.
   *
   * @param band the confirmed band
   * @param candidate the band the latest evaluations point to, or null when they agree with {@code
   *     band}
   * @param consecutive how many evaluations in a row pointed to {@code candidate}; 0 without one
   */
  record BandState(String band, String candidate, int consecutive) {
    public BandState {
      if (band == null || band.isBlank()) {
        throw new IllegalArgumentException("band state: band must not be blank");
      }
      if ((candidate == null) != (consecutive == 0) || consecutive < 0) {
        throw new IllegalArgumentException(
            "band state: a candidate needs a positive count and no candidate a count of 0, got "
                + candidate
                + " x"
                + consecutive);
      }
    }

    /** Settled in a band, with no run towards another. */
    public static BandState settled(String band) {
      return new BandState(band, null, 0);
    }
  }

  /**
   * What one {@link #update} did, as committed.
   *
   * @param before the state the committed change was applied to; null when the account had none
   * @param after the state the change returned, now stored
   */
  record BandUpdate(BandState before, BandState after) {
    public BandUpdate {
      if (after == null) {
        throw new InvalidHealthInputException("band update: the new state must not be null");
      }
    }
  }

  /** The account's state, if it has been placed in a band. */
  Optional<BandState> get(TenantId tenant, AccountId account);

  /**
   * Atomically replaces the account's state with {@code change} applied to the current one (null
   * when none) and returns both. No other update of the same account runs in between, in this or
   * any instance sharing the store. {@code change} must return a state and should have no effect
   * other than computing it: a store may apply it again after a conflict or a retry, and only the
   * committed run counts.
   */
  BandUpdate update(TenantId tenant, AccountId account, UnaryOperator<BandState> change);

  /** Forgets the account's state; true if there was one. */
  boolean remove(TenantId tenant, AccountId account);

  /**
   * Forgets the state of every account of the tenant; the number of states removed. Other tenants'
   * states stay. Idempotent: a second call removes nothing and returns 0.
   */
  int eraseTenant(TenantId tenant);
}
