package dev.steward.health;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A versioned, validated definition of a health score: measures (optionally grouped one level),
 * their weights and mappings, the least coverage that still gives a score, and how scores are
 * displayed. Immutable; compiled once at build time into arrays so that scoring allocates next to
 * nothing.
 */
public final class Scorecard {

  /** The version of the JSON format {@link #toJson()} writes and {@link #fromJson} reads. */
  public static final int JSON_FORMAT = 1;

  /** Coverage (share of nominal weight with present data) below which a score is INSUFFICIENT. */
  public static final double DEFAULT_MIN_COVERAGE = 0.6;

  private final String id;
  private final int version;
  private final List<ScorecardItem> items;
  private final double minCoverage;
  private final DisplayScheme display;
  private final CompiledScorecard compiled;

  private Scorecard(Builder b) {
    this.id = b.id;
    this.version = b.version;
    this.items = List.copyOf(b.items);
    this.minCoverage = b.minCoverage;
    this.display = b.display;
    this.compiled = CompiledScorecard.compile(this);
  }

  /** A builder for a scorecard of that id, version 1, with the default coverage and colours. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * Reads and validates a scorecard from JSON; see {@link #toJson()} for the format. Unknown fields
   * are rejected, so a typo such as {@code "wieght"} cannot silently change a score.
   *
   * @throws InvalidScorecardException naming the field at fault, without the parser's internals
   */
  public static Scorecard fromJson(String json) {
    return ScorecardJson.read(json);
  }

  /**
   * This scorecard as JSON (format {@value #JSON_FORMAT}), read back equal by {@link #fromJson}.
   * Durations are ISO-8601 ({@code "P14D"}).
   *
   * <pre>{@code
   * {"format": 1, "id": "smb", "version": 3, "minCoverage": 0.6, "display": "colours",
   *  "items": [
   *    {"measure": "logins", "weight": 2, "maxAge": "P7D", "halfLife": "P14D",
   *     "mapping": {"type": "logarithmic", "poor": 0, "good": 100}},
   *    {"group": "support", "weight": 1, "measures": [
   *      {"measure": "tickets_opened", "weight": 1,
   *       "mapping": {"type": "linear", "poor": 10, "good": 0}}]}]}
   * }</pre>
   *
   * <p>{@code display} is a built-in name or {@code {"name": .., "bands": [{"label", "from",
   * "to"}]}}; mappings are {@code linear} (poor, good, optional floor and ceiling), {@code
   * logarithmic} (poor, good), {@code thresholds} (cuts, scores) and {@code inverted} (of). A
   * measure may instead name a built-in definition with {@code "builtin": "nps"}, overriding its
   * fields as needed.
   */
  public String toJson() {
    return ScorecardJson.write(this);
  }

  /** A builder holding this scorecard's definition, for a changed (what-if or next) version. */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.version = version;
    b.items.addAll(items);
    b.minCoverage = minCoverage;
    b.display = display;
    return b;
  }

  public String id() {
    return id;
  }

  public int version() {
    return version;
  }

  /** The top-level measures and groups, in declaration order. */
  public List<ScorecardItem> items() {
    return items;
  }

  public double minCoverage() {
    return minCoverage;
  }

  public DisplayScheme display() {
    return display;
  }

  /** Every measure, grouped or not, in declaration order. */
  public List<Measure> measures() {
    List<Measure> all = new ArrayList<>();
    for (ScorecardItem item : items) {
      if (item instanceof Measure m) {
        all.add(m);
      } else {
        all.addAll(((MeasureGroup) item).measures());
      }
    }
    return Collections.unmodifiableList(all);
  }

  /** The measure of that id, if the scorecard has it. */
  public Optional<Measure> measure(String measureId) {
    int i = compiled.indexOf(measureId);
    return i < 0 ? Optional.empty() : Optional.of(compiled.measures[i]);
  }

  /**
   * Each measure's nominal contribution in percent (all data present), in declaration order; they
   * sum to 100. This is how weights of any scale are shown to people.
   */
  public Map<String, Double> percentContributions() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < compiled.size; i++) {
      out.put(compiled.ids[i], 100 * compiled.nominalShare[i]);
    }
    return Collections.unmodifiableMap(out);
  }

  CompiledScorecard compiled() {
    return compiled;
  }

  /** Equal when id, version, items, minimum coverage and display all match. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Scorecard other
        && other.id.equals(id)
        && other.version == version
        && other.items.equals(items)
        && other.minCoverage == minCoverage
        && other.display.equals(display);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(id, version, items, minCoverage, display);
  }

  @Override
  public String toString() {
    return "Scorecard[" + id + " v" + version + ", " + compiled.size + " measures]";
  }

  /** Builds a {@link Scorecard}, validating everything at {@link #build()}. */
  public static final class Builder {
    private final String id;
    private int version = 1;
    private final List<ScorecardItem> items = new ArrayList<>();
    private double minCoverage = DEFAULT_MIN_COVERAGE;
    private DisplayScheme display = DisplayScheme.COLOURS;

    private Builder(String id) {
      Measure.checkId("scorecard", id);
      this.id = id;
    }

    /**
     * The scorecard's version, at least 1; each history entry records the version that scored it.
     */
    public Builder version(int version) {
      if (version < 1) {
        throw new InvalidScorecardException(
            "scorecard '" + id + "': version must be at least 1, got " + version);
      }
      this.version = version;
      return this;
    }

    /** Adds an ungrouped measure. */
    public Builder measure(Measure measure) {
      items.add(requireNonNull(measure, "measure"));
      return this;
    }

    /** Adds a group of measures. */
    public Builder group(MeasureGroup group) {
      items.add(requireNonNull(group, "group"));
      return this;
    }

    /** Adds a group of measures. */
    public Builder group(String groupId, double weight, Measure... measures) {
      return group(MeasureGroup.of(groupId, weight, measures));
    }

    /** Changes the weight of an existing measure or group; unknown ids are rejected. */
    public Builder weight(String itemId, double weight) {
      for (int i = 0; i < items.size(); i++) {
        ScorecardItem item = items.get(i);
        if (item.id().equals(itemId)) {
          items.set(
              i,
              item instanceof Measure m
                  ? m.withWeight(weight)
                  : new MeasureGroup(itemId, weight, ((MeasureGroup) item).measures()));
          return this;
        }
        if (item instanceof MeasureGroup g) {
          List<Measure> ms = new ArrayList<>(g.measures());
          for (int j = 0; j < ms.size(); j++) {
            if (ms.get(j).id().equals(itemId)) {
              ms.set(j, ms.get(j).withWeight(weight));
              items.set(i, new MeasureGroup(g.id(), g.weight(), ms));
              return this;
            }
          }
        }
      }
      throw new InvalidScorecardException(
          "scorecard '" + id + "': unknown measure or group '" + itemId + "'");
    }

    /** Removes a measure or group; unknown ids are rejected. */
    public Builder remove(String itemId) {
      for (int i = 0; i < items.size(); i++) {
        ScorecardItem item = items.get(i);
        if (item.id().equals(itemId)) {
          items.remove(i);
          return this;
        }
        if (item instanceof MeasureGroup g) {
          List<Measure> ms = new ArrayList<>(g.measures());
          if (ms.removeIf(m -> m.id().equals(itemId))) {
            if (ms.isEmpty()) {
              items.remove(i);
            } else {
              items.set(i, new MeasureGroup(g.id(), g.weight(), ms));
            }
            return this;
          }
        }
      }
      throw new InvalidScorecardException(
          "scorecard '" + id + "': unknown measure or group '" + itemId + "'");
    }

    /**
     * The least coverage, 0 to 1, that still gives a score; default {@value DEFAULT_MIN_COVERAGE}.
     */
    public Builder minCoverage(double minCoverage) {
      if (!(minCoverage >= 0 && minCoverage <= 1)) {
        throw new InvalidScorecardException(
            "scorecard '" + id + "': minCoverage must be within 0..1, got " + minCoverage);
      }
      this.minCoverage = minCoverage;
      return this;
    }

    /** How scores are displayed; default {@link DisplayScheme#COLOURS}. */
    public Builder display(DisplayScheme display) {
      this.display = requireNonNull(display, "display");
      return this;
    }

    /** Validates and builds the scorecard. */
    public Scorecard build() {
      if (items.isEmpty()) {
        throw new InvalidScorecardException("scorecard '" + id + "' has no measures");
      }
      Set<String> seen = new HashSet<>();
      double total = 0;
      for (ScorecardItem item : items) {
        if (!seen.add(item.id())) {
          throw new InvalidScorecardException(
              "scorecard '" + id + "': duplicate id '" + item.id() + "'");
        }
        total += item.weight();
        if (item instanceof MeasureGroup g) {
          double inner = 0;
          for (Measure m : g.measures()) {
            if (!seen.add(m.id())) {
              throw new InvalidScorecardException(
                  "scorecard '" + id + "': duplicate id '" + m.id() + "'");
            }
            inner += m.weight();
          }
          if (inner == 0 && g.weight() > 0) {
            throw new InvalidScorecardException(
                "scorecard '"
                    + id
                    + "': group '"
                    + g.id()
                    + "' has weight "
                    + g.weight()
                    + " but all its measures have weight 0");
          }
        }
      }
      if (total == 0) {
        throw new InvalidScorecardException(
            "scorecard '" + id + "': all weights are 0; at least one must be positive");
      }
      return new Scorecard(this);
    }

    private <T> T requireNonNull(T value, String field) {
      if (value == null) {
        throw new InvalidScorecardException(
            "scorecard '" + id + "': " + field + " must not be null");
      }
      return value;
    }
  }
}
