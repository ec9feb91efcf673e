package dev.steward.health;

import java.time.Instant;

/**
 * A survey score (NPS or CSAT) with its 95% confidence interval.
 *
 * @param value NPS in -100..100 or CSAT in 0..1; NaN when there were no responses
 * @param lower the interval's lower end, in the same unit
 * @param upper the interval's upper end
 * @param responses how many answers it rests on
 * @param lowConfidence true when there are too few responses to act on the value alone
 */
public record SurveyScore(
    double value, double lower, double upper, int responses, boolean lowConfidence) {

  /** The score as a measure input observed at {@code at}; NaN (no responses) is left out when scored. */
  public Observation observation(Instant at) {
    return new Observation(value, at);
  }
}
