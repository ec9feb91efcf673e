package dev.steward.health;

/**
 * Voice-of-the-customer scores with small-sample confidence intervals: NPS with the adjusted Wald
 * interval (add 3/4 of a promoter and 3/4 of a detractor, 3 responses in all) and CSAT with the
 * Wilson score interval. Both are reliable down to a handful of answers, where the plain Wald interval
 * is far too narrow.
 */
public final class VoiceOfCustomer {
  /** z for a two-sided 95% interval. */
  static final double Z95 = 1.959963984540054;

  /** Fewer responses than this flag a score as low confidence. */
  public static final int DEFAULT_MIN_RESPONSES = 30;

  private VoiceOfCustomer() {}

  /** NPS of 0–10 ratings: promoters (9–10) minus detractors (0–6), in percent. */
  public static SurveyScore nps(int... ratings) {
    int promoters = 0;
    int passives = 0;
    int detractors = 0;
    for (int r : ratings) {
      if (r < 0 || r > 10) {
        throw new IllegalArgumentException("NPS rating must be within 0..10, got " + r);
      }
      if (r >= 9) {
        promoters++;
      } else if (r >= 7) {
        passives++;
      } else {
        detractors++;
      }
    }
    return nps(promoters, passives, detractors, DEFAULT_MIN_RESPONSES);
  }

  /** NPS from counts of promoters, passives and detractors. */
  public static SurveyScore nps(int promoters, int passives, int detractors, int minResponses) {
    if (promoters < 0 || passives < 0 || detractors < 0) {
      throw new IllegalArgumentException("NPS counts must not be negative");
    }
    int n = promoters + passives + detractors;
    if (n == 0) {
      return new SurveyScore(Double.NaN, -100, 100, 0, true);
    }
    double score = 100.0 * (promoters - detractors) / n;
    double adjusted = n + 3;
    double pp = (promoters + 0.75) / adjusted;
    double pd = (detractors + 0.75) / adjusted;
    double diff = pp - pd;
    double se = Math.sqrt((pp + pd - diff * diff) / adjusted);
    double lower = Math.max(-100, 100 * (diff - Z95 * se));
    double upper = Math.min(100, 100 * (diff + Z95 * se));
    return new SurveyScore(score, lower, upper, n, n < minResponses);
  }

  /** CSAT of 1–5 ratings: the share of 4s and 5s. */
  public static SurveyScore csat(int... ratings) {
    int satisfied = 0;
    for (int r : ratings) {
      if (r < 1 || r > 5) {
        throw new IllegalArgumentException("CSAT rating must be within 1..5, got " + r);
      }
      if (r >= 4) {
        satisfied++;
      }
    }
    return csat(satisfied, ratings.length, DEFAULT_MIN_RESPONSES);
  }

  /** CSAT from the count of satisfied answers (4 or 5) among all answers. */
  public static SurveyScore csat(int satisfied, int responses, int minResponses) {
    if (satisfied < 0 || responses < satisfied) {
      throw new IllegalArgumentException(
          "CSAT needs 0 <= satisfied <= responses, got " + satisfied + " of " + responses);
    }
    if (responses == 0) {
      return new SurveyScore(Double.NaN, 0, 1, 0, true);
    }
    double n = responses;
    double p = satisfied / n;
    double z2 = Z95 * Z95;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denom;
    double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
    return new SurveyScore(
        p, Math.max(0, centre - half), Math.min(1, centre + half), responses, responses < minResponses);
  }
}
