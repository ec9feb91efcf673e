package dev.steward.health;

import java.util.List;

/**
 * A group of measures (one level deep) with its own weight among the scorecard's top-level items; the
 * weight of an absent measure is spread over the group's present ones.
 */
public record MeasureGroup(String id, double weight, List<Measure> measures)
    implements ScorecardItem {
  public MeasureGroup {
    Measure.checkId("group", id);
    Measure.checkWeight("group '" + id + "'", weight);
    if (measures == null || measures.isEmpty()) {
      throw new InvalidScorecardException("group '" + id + "' has no measures");
    }
    measures = List.copyOf(measures);
  }

  /** A group of the given measures. */
  public static MeasureGroup of(String id, double weight, Measure... measures) {
    return new MeasureGroup(id, weight, List.of(measures));
  }
}
