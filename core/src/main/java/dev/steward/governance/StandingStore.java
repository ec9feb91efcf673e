package dev.steward.governance;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where each tenant's {@link Standing} is kept, so that every instance decides from the same
 * standing. {@link #update} runs one tenant's changes one after the other, across instances for a
 * JDBC store. A null argument is refused with an {@link InvalidGovernanceException} before anything
 * is written.
 */
public interface StandingStore {

  /** The tenant's standing, if one was ever stored. */
  Optional<Standing> find(TenantId tenant);

  /**
   * Applies {@code change} to the tenant's standing ({@link Standing#initial} at {@code now} if
   * none is stored) and stores its result, atomically with respect to other updates of the tenant;
   * returns the result. The change may run more than once (a JDBC store retries on a deadlock); it
   * must depend on its argument only. A change returning another tenant's standing, or null, is
   * refused and nothing is written.
   */
  Standing update(TenantId tenant, Instant now, UnaryOperator<Standing> change);

  /** Deletes the tenant's standing; true if there was one. */
  boolean eraseTenant(TenantId tenant);
}
