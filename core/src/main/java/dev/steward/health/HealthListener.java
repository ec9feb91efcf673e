package dev.steward.health;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;

/**
 * Receives the {@link HealthMonitor}'s typed events; every method has a no-op default so the SPI
 * can grow. A playbook listener enrols the account in a journey ("dropped to red: CSM check-in task
 * and a risk email"). Listeners run on the evaluating thread; one that throws is logged and does
 * not stop the others.
 */
public interface HealthListener {

  /** An account's score crossed into another band (after hysteresis). */
  default void onBandChanged(HealthBandChanged event) {}

  /** An account could not be scored: coverage fell below the scorecard's minimum. */
  default void onInsufficient(TenantId tenant, AccountId account, HealthScore score) {}
}
