package dev.steward.ippool;

/**
 * Observes applied pool changes (a dashboard, a CSM task, metrics). Called after the change is
 * recorded, on the applying thread; a listener that throws is logged and ignored.
 */
public interface PoolChangeListener {
  /** A stream moved. */
  void onChange(PoolChange change);
}
