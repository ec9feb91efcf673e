package dev.steward.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Computes health scores: a pure function of a scorecard, the inputs and the scoring time. Absent,
 * stale or not-yet-observed measures are left out and their weight spread over the present measures
 * of their group, then across groups; below the scorecard's minimum coverage the result is {@link
 * ScoreStatus#INSUFFICIENT}. Thread-safe and stateless.
 */
public final class HealthScoreCalculator {
  private static final double LN2 = Math.log(2);

  private HealthScoreCalculator() {}

  /** Scores with a per-measure explanation. */
  public static HealthScore score(Scorecard scorecard, HealthInputs inputs, Instant asOf) {
    return score(scorecard, inputs, asOf, new Explainer(scorecard.compiled()));
  }

  /**
   * Scores without explanations: the same value, status and coverage as {@link #score}, allocating
   * only the result.
   */
  public static HealthScore scoreWithoutExplanations(
      Scorecard scorecard, HealthInputs inputs, Instant asOf) {
    return score(scorecard, inputs, asOf, null);
  }

  /**
   * The one scoring pass: each present, fresh, finite measure is mapped and weighted within its
   * group, and each group with present data across groups. {@code explainer}, when not null, is
   * told why each measure counted or not; without it nothing but the result is allocated.
   */
  private static HealthScore score(
      Scorecard scorecard, HealthInputs inputs, Instant asOf, Explainer explainer) {
    CompiledScorecard c = scorecard.compiled();
    long now = asOf.toEpochMilli();
    double totalGroup = 0;
    double weighted = 0;
    double coverage = 0;
    for (int g = 0; g < c.groups; g++) {
      double sumW = 0;
      double sumWS = 0;
      for (int i = c.groupStart[g]; i < c.groupStart[g + 1]; i++) {
        Observation o = inputs.get(c.ids[i]);
        if (o == null) {
          if (explainer != null) {
            explainer.excluded(i, Exclusion.MISSING, "no data");
          }
          continue;
        }
        long at = o.observedAt().toEpochMilli();
        if (at > now) {
          if (explainer != null) {
            explainer.excluded(
                i, Exclusion.NOT_YET_OBSERVED, "observed at " + o.observedAt() + ", after " + asOf);
          }
          continue;
        }
        if (now - at > c.maxAgeMillis[i]) {
          if (explainer != null) {
            explainer.excluded(
                i,
                Exclusion.STALE,
                "observed "
                    + Duration.ofMillis(now - at)
                    + " before, older than the limit "
                    + c.measures[i].maxAge());
          }
          continue;
        }
        double v = decayed(o.value(), now - at, c.halfLifeMillis[i]);
        if (!Double.isFinite(v)) {
          if (explainer != null) {
            explainer.excluded(
                i, Exclusion.NOT_A_NUMBER, "value " + o.value() + " is not a finite number");
          }
          continue;
        }
        double norm = c.mappings[i].score(v);
        if (explainer != null) {
          explainer.counted(i, v, norm);
        }
        sumW += c.innerWeight[i];
        sumWS += c.innerWeight[i] * norm;
        coverage += c.nominalShare[i];
      }
      if (explainer != null) {
        explainer.groupPresent(g, sumW);
      }
      if (sumW > 0) {
        totalGroup += c.groupWeight[g];
        weighted += c.groupWeight[g] * (sumWS / sumW);
      }
    }
    List<MeasureExplanation> explanations =
        explainer == null ? List.of() : explainer.explanations(totalGroup);
    return result(scorecard, asOf, totalGroup, weighted, coverage, explanations);
  }

  /** Collects, during the scoring pass, what each measure's explanation needs. */
  private static final class Explainer {
    private final CompiledScorecard c;
    private final double[] raw;
    private final double[] norm;
    private final Exclusion[] why;
    private final String[] detail;
    private final double[] groupPresentInner;

    Explainer(CompiledScorecard c) {
      this.c = c;
      this.raw = new double[c.size];
      this.norm = new double[c.size];
      this.why = new Exclusion[c.size];
      this.detail = new String[c.size];
      this.groupPresentInner = new double[c.groups];
      java.util.Arrays.fill(raw, Double.NaN);
      java.util.Arrays.fill(norm, Double.NaN);
    }

    void excluded(int i, Exclusion e, String text) {
      why[i] = e;
      detail[i] = text;
    }

    void counted(int i, double value, double score) {
      raw[i] = value;
      norm[i] = score;
    }

    void groupPresent(int g, double innerWeight) {
      groupPresentInner[g] = innerWeight;
    }

    List<MeasureExplanation> explanations(double totalGroup) {
      // an array wrapped once: HealthScore's List.copyOf then keeps it instead of copying twice
      MeasureExplanation[] explanations = new MeasureExplanation[c.size];
      for (int g = 0; g < c.groups; g++) {
        double present = groupPresentInner[g];
        double groupShare = present > 0 && totalGroup > 0 ? c.groupWeight[g] / totalGroup : 0;
        for (int i = c.groupStart[g]; i < c.groupStart[g + 1]; i++) {
          Exclusion e = why[i];
          double eff = 0;
          if (e == null) {
            if (groupShare == 0) {
              e = Exclusion.NO_WEIGHT;
              detail[i] = "its group carries no weight among the present data";
            } else {
              eff = groupShare * c.innerWeight[i] / present;
            }
          }
          boolean in = e == null;
          explanations[i] =
              new MeasureExplanation(
                  c.ids[i],
                  c.groupOf[i],
                  raw[i],
                  in ? norm[i] : Double.NaN,
                  c.measures[i].weight(),
                  c.nominalShare[i],
                  eff,
                  in ? eff * norm[i] : 0,
                  in ? eff * (norm[i] - 50) : 0,
                  e,
                  in ? "" : detail[i]);
        }
      }
      return List.of(explanations);
    }
  }

  private static HealthScore result(
      Scorecard card,
      Instant asOf,
      double totalGroup,
      double weighted,
      double coverage,
      List<MeasureExplanation> explanations) {
    // summing shares can land a hair off 1; coverage is reported, not used for arithmetic
    double cov = coverage > 1 ? 1 : coverage;
    boolean enough = totalGroup > 0 && cov + 1e-12 >= card.minCoverage();
    double value = Double.NaN;
    if (enough) {
      value = weighted / totalGroup;
      value = value < 0 ? 0 : (value > 100 ? 100 : value);
    }
    return new HealthScore(
        card.id(),
        card.version(),
        asOf,
        enough ? ScoreStatus.SCORED : ScoreStatus.INSUFFICIENT,
        value,
        cov,
        explanations,
        null,
        value);
  }

  static double decayed(double value, long ageMillis, double halfLifeMillis) {
    if (halfLifeMillis == 0 || ageMillis == 0) {
      return value;
    }
    return value * Math.exp(-LN2 * ageMillis / halfLifeMillis);
  }
}
