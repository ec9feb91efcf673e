package dev.steward.governance;

/**
 * Observes changes of tenants' standing: outreach, a CSM task, a journey, the pool strategy. Called
 * after the change is stored, on the evaluating thread; an exception is logged and ignored.
 */
@FunctionalInterface
public interface StandingListener {
  /** A listener that does nothing. */
  StandingListener NOOP = e -> {};

  /** A tenant's standing changed. */
  void onChange(StandingChanged event);

  /**
   * Every evaluation's decision, changed or not (insufficient data, unchanged, renewed): for
   * operators' dashboards and tests. Does nothing by default.
   */
  default void onDecision(GovernanceDecision decision) {}
}
