package dev.steward.health;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a measure's raw value to a normalised score from 0 to 100. Inverted measures (more tickets is
 * worse) are expressed either by giving a {@code poor} value above the {@code good} one, by
 * descending tier scores, or by wrapping any mapping in {@link Inverted}.
 */
public sealed interface Mapping
    permits Mapping.Linear, Mapping.Logarithmic, Mapping.Thresholds, Mapping.Inverted {

  /** The normalised score, 0 to 100, of a finite raw value. */
  double score(double raw);

  /** Linear from 0 at {@code poor} to 100 at {@code good}, clamped outside. */
  static Linear linear(double poor, double good) {
    return new Linear(poor, good, 0, 100);
  }

  /** Linear from {@code floor} at {@code poor} to {@code ceiling} at {@code good}, clamped outside. */
  static Linear linearBounded(double poor, double good, double floor, double ceiling) {
    return new Linear(poor, good, floor, ceiling);
  }

  /** Logarithmic for counts: linear in {@code ln(1 + value)} between {@code poor} and {@code good}. */
  static Logarithmic logarithmic(double poor, double good) {
    return new Logarithmic(poor, good);
  }

  /**
   * Tiers in the form {@code firstScore, cut1, score1, cut2, score2, ...}: a value below {@code cut1}
   * scores {@code firstScore}; a value in {@code [cut1, cut2)} scores {@code score1}; and so on.
   */
  static Thresholds tiers(double firstScore, double... cutsAndScores) {
    if (cutsAndScores.length % 2 != 0) {
      throw new InvalidScorecardException(
          "tiers: expected pairs of cut and score after the first score, got "
              + cutsAndScores.length
              + " numbers");
    }
    List<Double> cuts = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    scores.add(firstScore);
    for (int i = 0; i < cutsAndScores.length; i += 2) {
      cuts.add(cutsAndScores[i]);
      scores.add(cutsAndScores[i + 1]);
    }
    return new Thresholds(cuts, scores);
  }

  /** 100 minus the inner mapping's score. */
  static Inverted inverted(Mapping of) {
    return new Inverted(of);
  }

  /**
   * Linear between a poor and a good value, bounded to {@code [floor, ceiling]}; {@code poor > good}
   * makes an inverted measure.
   */
  record Linear(double poor, double good, double floor, double ceiling) implements Mapping {
    public Linear {
      finite("linear mapping", "poor", poor);
      finite("linear mapping", "good", good);
      if (poor == good) {
        throw new InvalidScorecardException(
            "linear mapping: poor and good must differ, both are " + poor);
      }
      inScoreRange("linear mapping", "floor", floor);
      inScoreRange("linear mapping", "ceiling", ceiling);
      if (floor >= ceiling) {
        throw new InvalidScorecardException(
            "linear mapping: floor " + floor + " must be below ceiling " + ceiling);
      }
    }

    @Override
    public double score(double raw) {
      double t = (raw - poor) / (good - poor);
      t = t < 0 ? 0 : (t > 1 ? 1 : t);
      return floor + (ceiling - floor) * t;
    }
  }

  /**
   * Logarithmic for counts, where the step from 0 to 10 logins matters more than from 100 to 110;
   * negative values count as 0; {@code poor > good} makes an inverted measure.
   */
  record Logarithmic(double poor, double good) implements Mapping {
    public Logarithmic {
      finite("logarithmic mapping", "poor", poor);
      finite("logarithmic mapping", "good", good);
      if (poor < 0 || good < 0) {
        throw new InvalidScorecardException(
            "logarithmic mapping: poor and good must be counts (>= 0), got poor "
                + poor
                + " and good "
                + good);
      }
      if (poor == good) {
        throw new InvalidScorecardException(
            "logarithmic mapping: poor and good must differ, both are " + poor);
      }
    }

    @Override
    public double score(double raw) {
      double lp = Math.log1p(poor);
      double t = (Math.log1p(raw < 0 ? 0 : raw) - lp) / (Math.log1p(good) - lp);
      t = t < 0 ? 0 : (t > 1 ? 1 : t);
      return 100 * t;
    }
  }

  /**
   * Tiers over half-open ranges: values below {@code cuts[0]} score {@code scores[0]}; values in
   * {@code [cuts[i-1], cuts[i])} score {@code scores[i]}; values at or above the last cut score the
   * last score. Cuts must ascend strictly, so tiers can neither overlap nor leave gaps.
   */
  record Thresholds(List<Double> cuts, List<Double> scores) implements Mapping {
    public Thresholds {
      cuts = List.copyOf(cuts);
      scores = List.copyOf(scores);
      if (cuts.isEmpty()) {
        throw new InvalidScorecardException("thresholds mapping: needs at least one cut");
      }
      if (scores.size() != cuts.size() + 1) {
        throw new InvalidScorecardException(
            "thresholds mapping: "
                + cuts.size()
                + " cuts need "
                + (cuts.size() + 1)
                + " scores, got "
                + scores.size());
      }
      for (int i = 0; i < cuts.size(); i++) {
        finite("thresholds mapping", "cut " + i, cuts.get(i));
        if (i > 0 && cuts.get(i) <= cuts.get(i - 1)) {
          throw new InvalidScorecardException(
              "thresholds mapping: tiers overlap: cut "
                  + cuts.get(i)
                  + " is not above the previous cut "
                  + cuts.get(i - 1)
                  + " (cuts must ascend strictly)");
        }
      }
      for (int i = 0; i < scores.size(); i++) {
        inScoreRange("thresholds mapping", "score " + i, scores.get(i));
      }
    }

    @Override
    public double score(double raw) {
      int n = cuts.size();
      for (int i = 0; i < n; i++) {
        if (raw < cuts.get(i)) {
          return scores.get(i);
        }
      }
      return scores.get(n);
    }
  }

  /** Reverses another mapping: 100 minus its score. */
  record Inverted(Mapping of) implements Mapping {
    public Inverted {
      if (of == null) {
        throw new InvalidScorecardException("inverted mapping: inner mapping must not be null");
      }
    }

    @Override
    public double score(double raw) {
      return 100 - of.score(raw);
    }
  }

  private static void finite(String what, String field, double value) {
    if (!Double.isFinite(value)) {
      throw new InvalidScorecardException(what + ": " + field + " must be finite, got " + value);
    }
  }

  private static void inScoreRange(String what, String field, double value) {
    if (!(value >= 0 && value <= 100)) {
      throw new InvalidScorecardException(
          what + ": " + field + " must be within 0..100, got " + value);
    }
  }
}
