package dev.steward.health;

/** A top-level entry of a scorecard: a single measure or a group of measures. */
public sealed interface ScorecardItem permits Measure, MeasureGroup {

  /** The item's id, unique across the scorecard's measures and groups. */
  String id();

  /** The item's weight among the top-level items; any non-negative number. */
  double weight();
}
