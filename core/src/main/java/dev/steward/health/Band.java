package dev.steward.health;

/**
 * A named range of scores, half-open {@code [from, to)}; the band whose {@code to} is 100 also holds
 * 100 itself.
 */
public record Band(String label, double from, double to) {
  public Band {
    if (label == null || label.isBlank()) {
      throw new InvalidScorecardException("band label must not be blank");
    }
    if (!(from >= 0 && from <= 100) || !(to >= 0 && to <= 100)) {
      throw new InvalidScorecardException(
          "band '" + label + "': bounds must be within 0..100, got [" + from + ", " + to + ")");
    }
    if (from >= to) {
      throw new InvalidScorecardException(
          "band '" + label + "': from " + from + " must be below to " + to);
    }
  }

  /** True if the score falls in this band. */
  public boolean contains(double score) {
    return score >= from && (score < to || (to == 100 && score == 100));
  }

  @Override
  public String toString() {
    return label + (to == 100 ? " [" + from + ", 100]" : " [" + from + ", " + to + ")");
  }
}
