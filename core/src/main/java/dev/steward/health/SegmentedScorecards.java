package dev.steward.health;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses a scorecard per account segment (enterprise vs SMB, onboarding vs established): the first
 * segment whose attributes all match the account's wins, else the default. Immutable.
 */
public final class SegmentedScorecards {

  /**
   * A segment: the scorecard for accounts whose attributes include every entry of {@code match}.
   */
  public record Segment(String name, Map<String, String> match, Scorecard scorecard) {
    public Segment {
      Measure.checkId("segment", name);
      if (match == null || match.isEmpty()) {
        throw new InvalidScorecardException(
            "segment '" + name + "': needs at least one attribute to match; use the default instead");
      }
      if (scorecard == null) {
        throw new InvalidScorecardException("segment '" + name + "': scorecard must not be null");
      }
      match = Map.copyOf(match);
    }

    /** True if the account's attributes include all of this segment's. */
    public boolean matches(Map<String, String> attributes) {
      for (Map.Entry<String, String> e : match.entrySet()) {
        if (!e.getValue().equals(attributes.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
  }

  /** The segment chosen for an account and its scorecard; {@code segment} is "default" for none. */
  public record Choice(String segment, Scorecard scorecard) {}

  /** The name a choice carries when no segment matched. */
  public static final String DEFAULT = "default";

  private final List<Segment> segments;
  private final Scorecard fallback;

  private SegmentedScorecards(List<Segment> segments, Scorecard fallback) {
    this.segments = List.copyOf(segments);
    this.fallback = fallback;
  }

  /** A builder with the scorecard for accounts in no segment. */
  public static Builder builder(Scorecard defaultScorecard) {
    return new Builder(defaultScorecard);
  }

  /** The segment and scorecard for an account with these attributes. */
  public Choice choose(Map<String, String> attributes) {
    for (Segment s : segments) {
      if (s.matches(attributes)) {
        return new Choice(s.name(), s.scorecard());
      }
    }
    return new Choice(DEFAULT, fallback);
  }

  /** The segments in the order they are tried. */
  public List<Segment> segments() {
    return segments;
  }

  public Scorecard defaultScorecard() {
    return fallback;
  }

  /** Builds {@link SegmentedScorecards}; segments are tried in the order added. */
  public static final class Builder {
    private final Scorecard fallback;
    private final List<Segment> segments = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private Builder(Scorecard fallback) {
      if (fallback == null) {
        throw new InvalidScorecardException("segmented scorecards: the default scorecard is required");
      }
      this.fallback = fallback;
    }

    /** Adds a segment matching all the given attribute values. */
    public Builder segment(String name, Map<String, String> match, Scorecard scorecard) {
      Segment s = new Segment(name, new LinkedHashMap<>(match), scorecard);
      if (name.equals(DEFAULT) || !names.add(name)) {
        throw new InvalidScorecardException(
            "segmented scorecards: segment name '" + name + "' is already used");
      }
      segments.add(s);
      return this;
    }

    public SegmentedScorecards build() {
      return new SegmentedScorecards(segments, fallback);
    }
  }
}
