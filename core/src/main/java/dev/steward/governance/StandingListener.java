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
}
