package dev.steward.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes health scores: a pure function of a scorecard, the inputs and the scoring time. Absent,
 * stale or not-yet-observed measures are left out and their weight spread over the present measures of
 * their group, then across groups; below the scorecard's minimum coverage the result is {@link
 * ScoreStatus#INSUFFICIENT}. Thread-safe and stateless.
 */
public final class HealthScoreCalculator {
  private static final double LN2 = Math.log(2);

  private HealthScoreCalculator() {}

  /** Scores with a per-measure explanation. */
  public static HealthScore score(Scorecard scorecard, HealthInputs inputs, Instant asOf) {
    CompiledScorecard c = scorecard.compiled();
    long now = asOf.toEpochMilli();
    int n = c.size;
    double[] raw = new double[n];
    double[] norm = new double[n];
    Exclusion[] why = new Exclusion[n];
    String[] detail = new String[n];
    double[] groupPresentInner = new double[c.groups];
    double totalGroup = 0;
    double weighted = 0;
    double coverage = 0;
    for (int g = 0; g < c.groups; g++) {
      double sumW = 0;
      double sumWS = 0;
      for (int i = c.groupStart[g]; i < c.groupStart[g + 1]; i++) {
        Observation o = inputs.get(c.ids[i]);
        raw[i] = Double.NaN;
        norm[i] = Double.NaN;
        if (o == null) {
          why[i] = Exclusion.MISSING;
          detail[i] = "no data";
          continue;
        }
        long at = o.observedAt().toEpochMilli();
        if (at > now) {
          why[i] = Exclusion.NOT_YET_OBSERVED;
          detail[i] = "observed at " + o.observedAt() + ", after " + asOf;
          continue;
        }
        if (now - at > c.maxAgeMillis[i]) {
          why[i] = Exclusion.STALE;
          detail[i] =
              "observed "
                  + Duration.ofMillis(now - at)
                  + " before, older than the limit "
                  + c.measures[i].maxAge();
          continue;
        }
        double v = decayed(o.value(), now - at, c.halfLifeMillis[i]);
        if (!Double.isFinite(v)) {
          why[i] = Exclusion.NOT_A_NUMBER;
          detail[i] = "value " + o.value() + " is not a finite number";
          continue;
        }
        raw[i] = v;
        norm[i] = c.mappings[i].score(v);
        sumW += c.innerWeight[i];
        sumWS += c.innerWeight[i] * norm[i];
        coverage += c.nominalShare[i];
      }
      groupPresentInner[g] = sumW;
      if (sumW > 0) {
        totalGroup += c.groupWeight[g];
        weighted += c.groupWeight[g] * (sumWS / sumW);
      }
    }
    List<MeasureExplanation> explanations = new ArrayList<>(n);
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
        explanations.add(
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
                in ? "" : detail[i]));
      }
    }
    return result(scorecard, asOf, totalGroup, weighted, coverage, explanations);
  }

  /**
   * Scores without explanations: the same value, status and coverage as {@link #score}, allocating
   * only the result.
   */
  public static HealthScore scoreWithoutExplanations(
      Scorecard scorecard, HealthInputs inputs, Instant asOf) {
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
          continue;
        }
        long at = o.observedAt().toEpochMilli();
        if (at > now || now - at > c.maxAgeMillis[i]) {
          continue;
        }
        double v = decayed(o.value(), now - at, c.halfLifeMillis[i]);
        if (!Double.isFinite(v)) {
          continue;
        }
        sumW += c.innerWeight[i];
        sumWS += c.innerWeight[i] * c.mappings[i].score(v);
        coverage += c.nominalShare[i];
      }
      if (sumW > 0) {
        totalGroup += c.groupWeight[g];
        weighted += c.groupWeight[g] * (sumWS / sumW);
      }
    }
    return result(scorecard, asOf, totalGroup, weighted, coverage, List.of());
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
