package dev.steward.journey;

/**
 * Receives every timeline entry of a {@link JourneySimulation} as it happens, for every contact
 * (including those whose timelines the result does not keep): to stream a large simulation to a
 * file or a summary of one's own without holding it in memory. Called on the simulating thread, in
 * virtual-time order; an exception thrown here ends the run.
 */
@FunctionalInterface
public interface SimulationListener {

  /** A listener that does nothing. */
  SimulationListener NONE = entry -> {};

  /** Something happened to a contact. */
  void onEntry(TimelineEntry entry);
}
