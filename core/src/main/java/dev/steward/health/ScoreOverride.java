package dev.steward.health;

import java.time.Instant;

/**
 * A manual override of an account's score by a person, with their reason, valid from
 * {@code createdAt} until (not including) {@code expiresAt}, restricted to a direction.
 */
public record ScoreOverride(
    double value,
    String author,
    String reason,
    Instant createdAt,
    Instant expiresAt,
    Direction direction) {

  /** Which way an override may move the computed score. */
  public enum Direction {
    /** Applies only when it lowers the score (or when there is no computed score). */
    LOWER_ONLY,
    /** Applies only when it raises a computed score. */
    RAISE_ONLY,
    /** Always applies while valid. */
    EITHER
  }

  public ScoreOverride {
    if (!(value >= 0 && value <= 100)) {
      throw new InvalidScorecardException("override: value must be within 0..100, got " + value);
    }
    if (author == null || author.isBlank()) {
      throw new InvalidScorecardException("override: author must not be blank");
    }
    if (reason == null || reason.isBlank()) {
      throw new InvalidScorecardException("override: reason must not be blank");
    }
    if (createdAt == null || expiresAt == null) {
      throw new InvalidScorecardException("override: createdAt and expiresAt are required");
    }
    if (!expiresAt.isAfter(createdAt)) {
      throw new InvalidScorecardException(
          "override: expiresAt " + expiresAt + " must be after createdAt " + createdAt);
    }
    if (direction == null) {
      throw new InvalidScorecardException("override: direction is required");
    }
  }

  /** True if the override is in force at that time. */
  public boolean activeAt(Instant at) {
    return !at.isBefore(createdAt) && at.isBefore(expiresAt);
  }

  /**
   * The score with this override applied if it is in force at the score's time and its direction
   * allows it; otherwise the score unchanged. A lowering override also applies to an insufficient
   * score (a person's warning beats no number); a raising one does not.
   */
  public HealthScore applyTo(HealthScore score) {
    if (!activeAt(score.asOf())) {
      return score;
    }
    boolean applies =
        switch (direction) {
          case EITHER -> true;
          case LOWER_ONLY -> !score.isScored() || value < score.computed();
          case RAISE_ONLY -> score.isScored() && value > score.computed();
        };
    return applies ? score.overriddenBy(this) : score;
  }
}
