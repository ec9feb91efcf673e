package dev.steward.health;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The result of scoring one account at one time.
 *
 * @param value the score, 0–100, after any override; NaN when {@link ScoreStatus#INSUFFICIENT}
 * @param coverage the share, 0 to 1, of the scorecard's nominal weight that had usable data
 * @param explanations one per measure in scorecard order; empty when scored without explanations
 * @param override the manual override that set {@code value}, or null when none applied
 * @param computed the calculated score before any override; NaN when coverage was insufficient
 */
public record HealthScore(
    String scorecardId,
    int scorecardVersion,
    Instant asOf,
    ScoreStatus status,
    double value,
    double coverage,
    List<MeasureExplanation> explanations,
    ScoreOverride override,
    double computed) {

  public HealthScore {
    explanations = List.copyOf(explanations);
  }

  /** The score's value, empty when coverage was insufficient. */
  public OptionalDouble score() {
    return status == ScoreStatus.SCORED ? OptionalDouble.of(value) : OptionalDouble.empty();
  }

  /** True when the score has a value. */
  public boolean isScored() {
    return status == ScoreStatus.SCORED;
  }

  /** The band of this score in the given display scheme, empty when insufficient. */
  public Optional<Band> band(DisplayScheme scheme) {
    return isScored() ? Optional.of(scheme.bandOf(value)) : Optional.empty();
  }

  /** The explanation of one measure, if explanations were computed. */
  public Optional<MeasureExplanation> explanation(String measureId) {
    for (MeasureExplanation e : explanations) {
      if (e.measureId().equals(measureId)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * A plain-text account of the score for people: the value (or why there is none), the coverage, any
   * override, and one line per measure with its raw value, normalised score, nominal and effective
   * share and signed contribution, or why it was left out.
   */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append(scorecardId).append(" v").append(scorecardVersion).append(" at ").append(asOf).append(": ");
    if (isScored()) {
      b.append(String.format(Locale.ROOT, "%.1f", value));
    } else {
      b.append("INSUFFICIENT");
    }
    b.append(String.format(Locale.ROOT, " (coverage %.1f%%)", 100 * coverage));
    if (override != null) {
      b.append(String.format(Locale.ROOT, ", overridden from %.1f by %s: %s", computed, override.author(), override.reason()));
    }
    for (MeasureExplanation e : explanations) {
      b.append(System.lineSeparator()).append("  ").append(e.measureId());
      if (e.included()) {
        b.append(
            String.format(
                Locale.ROOT,
                ": raw %s -> %.1f, weight %.1f%% -> %.1f%%, contribution %+.1f",
                e.raw(),
                e.normalised(),
                100 * e.nominalShare(),
                100 * e.effectiveWeight(),
                e.contribution()));
      } else {
        b.append(
            String.format(
                Locale.ROOT,
                ": left out, %s (%s), weight %.1f%%",
                e.exclusion(),
                e.detail(),
                100 * e.nominalShare()));
      }
    }
    return b.toString();
  }

  /** This score with an override applied: the value replaced, the computed value kept. */
  HealthScore overriddenBy(ScoreOverride applied) {
    return new HealthScore(
        scorecardId,
        scorecardVersion,
        asOf,
        ScoreStatus.SCORED,
        applied.value(),
        coverage,
        explanations,
        applied,
        computed);
  }
}
